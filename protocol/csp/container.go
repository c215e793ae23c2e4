package csp

import "fmt"

// PayloadType is the type byte of a payload container (§3.3).
type PayloadType uint8

// Payload types (§3.3).
const (
	// TypeEchoRequest carries arbitrary data the peer echoes back.
	TypeEchoRequest PayloadType = 0x00
	// TypeOutgoingMessage is a message from the client to the server.
	TypeOutgoingMessage PayloadType = 0x01
	// TypeIncomingMessage is a message from the server to its receiver.
	TypeIncomingMessage PayloadType = 0x02
	// TypeUnblockIncomingMessages lets the server deliver (multi-device only).
	TypeUnblockIncomingMessages PayloadType = 0x03
	// TypeSetPushToken sets the push token.
	TypeSetPushToken PayloadType = 0x20
	// TypeSetHighPriorityPushToken sets the high-priority (VoIP) push token.
	TypeSetHighPriorityPushToken PayloadType = 0x24
	// TypeDeletePushTokens deletes the push tokens of a list of device ids.
	TypeDeletePushTokens PayloadType = 0x25
	// TypeSetConnectionIdleTimeout sets the idle timeout in seconds.
	TypeSetConnectionIdleTimeout PayloadType = 0x30
	// TypeEchoResponse answers an echo request with the same data.
	TypeEchoResponse PayloadType = 0x80
	// TypeServerAck acknowledges an outgoing message once it is stored.
	TypeServerAck PayloadType = 0x81
	// TypeClientAck acknowledges an incoming message; the server deletes it.
	TypeClientAck PayloadType = 0x82
	// TypeQueueSendComplete tells the client the offline queue is drained.
	TypeQueueSendComplete PayloadType = 0xd0
	// TypeDeviceCookieChangeIndication tells the client its device cookie changed.
	TypeDeviceCookieChangeIndication PayloadType = 0xd2
	// TypeClearDeviceCookieChangeIndication clears that indication.
	TypeClearDeviceCookieChangeIndication PayloadType = 0xd3
	// TypeCloseError tells the client why the server closes the connection.
	TypeCloseError PayloadType = 0xe0
	// TypeAlert is a message to show to the user.
	TypeAlert PayloadType = 0xe1
)

// String names the payload type for logs.
func (t PayloadType) String() string {
	if d, ok := decoderFor(t); ok {
		return d.name
	}
	return fmt.Sprintf("unknown(%#02x)", uint8(t))
}

// Payload is one typed payload of §3.3. Every payload type of the table
// implements it; AppendContainer encodes one and DecodePayload decodes any.
type Payload interface {
	// PayloadType is the container type byte.
	PayloadType() PayloadType
	// AppendData appends the payload data (without the container header) to dst.
	AppendData(dst []byte) ([]byte, error)
}

// AppendContainer appends the container of p (type ‖ 3 zero bytes ‖ data) to
// dst, refusing data that would not fit in one frame.
func AppendContainer(dst []byte, p Payload) ([]byte, error) {
	start := len(dst)
	dst = append(dst, byte(p.PayloadType()), 0, 0, 0)
	dst, err := p.AppendData(dst)
	if err != nil {
		return dst[:start], err
	}
	if n := len(dst) - start; n > MaxContainerLen {
		return dst[:start], fmt.Errorf("%w: %s container of %d bytes", ErrFrameTooLarge, p.PayloadType(), n)
	}
	return dst, nil
}

// ParseContainer splits a container into its type and data, checking the
// header and the reserved bytes; the type is not checked against the table
// (DecodePayload does that). data aliases b.
func ParseContainer(b []byte) (PayloadType, []byte, error) {
	if len(b) < ContainerHeaderLen {
		return 0, nil, fmt.Errorf("%w: container of %d bytes", ErrLength, len(b))
	}
	if len(b) > MaxContainerLen {
		return 0, nil, fmt.Errorf("%w: container of %d bytes", ErrFrameTooLarge, len(b))
	}
	if b[1]|b[2]|b[3] != 0 {
		return 0, nil, fmt.Errorf("%w: container header", ErrReserved)
	}
	return PayloadType(b[0]), b[ContainerHeaderLen:], nil
}

// payloadDecoder decodes the data of one payload type.
type payloadDecoder struct {
	name   string
	decode func(data []byte) (Payload, error)
}

// decoderFor is the dispatch table of DecodePayload, keyed by type.
func decoderFor(t PayloadType) (payloadDecoder, bool) {
	switch t {
	case TypeEchoRequest:
		return payloadDecoder{"echo-request", wrap(DecodeEchoRequest)}, true
	case TypeOutgoingMessage:
		return payloadDecoder{"outgoing-message", wrap(DecodeOutgoingMessage)}, true
	case TypeIncomingMessage:
		return payloadDecoder{"incoming-message", wrap(DecodeIncomingMessage)}, true
	case TypeUnblockIncomingMessages:
		return payloadDecoder{"unblock-incoming-messages", wrap(DecodeUnblockIncomingMessages)}, true
	case TypeSetPushToken:
		return payloadDecoder{"set-push-token", wrap(DecodeSetPushToken)}, true
	case TypeSetHighPriorityPushToken:
		return payloadDecoder{"set-high-priority-push-token", wrap(DecodeSetHighPriorityPushToken)}, true
	case TypeDeletePushTokens:
		return payloadDecoder{"delete-push-tokens", wrap(DecodeDeletePushTokens)}, true
	case TypeSetConnectionIdleTimeout:
		return payloadDecoder{"set-connection-idle-timeout", wrap(DecodeSetConnectionIdleTimeout)}, true
	case TypeEchoResponse:
		return payloadDecoder{"echo-response", wrap(DecodeEchoResponse)}, true
	case TypeServerAck:
		return payloadDecoder{"server-ack", wrap(DecodeServerAck)}, true
	case TypeClientAck:
		return payloadDecoder{"client-ack", wrap(DecodeClientAck)}, true
	case TypeQueueSendComplete:
		return payloadDecoder{"queue-send-complete", wrap(DecodeQueueSendComplete)}, true
	case TypeDeviceCookieChangeIndication:
		return payloadDecoder{"device-cookie-change-indication", wrap(DecodeDeviceCookieChangeIndication)}, true
	case TypeClearDeviceCookieChangeIndication:
		return payloadDecoder{"clear-device-cookie-change-indication", wrap(DecodeClearDeviceCookieChangeIndication)}, true
	case TypeCloseError:
		return payloadDecoder{"close-error", wrap(DecodeCloseError)}, true
	case TypeAlert:
		return payloadDecoder{"alert", wrap(DecodeAlert)}, true
	}
	return payloadDecoder{}, false
}

func wrap[P Payload](f func([]byte) (P, error)) func([]byte) (Payload, error) {
	return func(b []byte) (Payload, error) {
		p, err := f(b)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}

// DecodePayload decodes a container into its typed payload. Byte slices in
// the result alias b.
func DecodePayload(b []byte) (Payload, error) {
	t, data, err := ParseContainer(b)
	if err != nil {
		return nil, err
	}
	d, ok := decoderFor(t)
	if !ok {
		return nil, fmt.Errorf("%w: %#02x", ErrUnknownPayload, uint8(t))
	}
	p, err := d.decode(data)
	if err != nil {
		return nil, fmt.Errorf("csp: %s: %w", d.name, err)
	}
	return p, nil
}
