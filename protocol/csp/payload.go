package csp

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// Idle timeout bounds of payload 0x30 (§3.3).
const (
	// MinIdleTimeoutSeconds is the shortest idle timeout a client may set.
	MinIdleTimeoutSeconds = 30
	// MaxIdleTimeoutSeconds is the longest idle timeout a client may set.
	MaxIdleTimeoutSeconds = 600
)

// MaxPushTokenLen is the longest push token (§3.3: token ≤ 255 bytes).
const MaxPushTokenLen = 255

// ackLen is identity(8) ‖ message-id u64-le.
const ackLen = IDLen + 8

// TakeoverMessage is the close-error text sent to a connection whose identity
// logged in again elsewhere (the wording of Threema's server).
const TakeoverMessage = "Another connection for the same identity has been established"

// EchoRequest (0x00) carries data the server echoes back; clients use it as a
// keepalive.
type EchoRequest struct {
	Data []byte // echoed back as is
}

// PayloadType is TypeEchoRequest.
func (EchoRequest) PayloadType() PayloadType { return TypeEchoRequest }

// AppendData appends the echo data.
func (p EchoRequest) AppendData(dst []byte) ([]byte, error) { return append(dst, p.Data...), nil }

// DecodeEchoRequest decodes an echo request; any data is valid.
func DecodeEchoRequest(b []byte) (EchoRequest, error) { return EchoRequest{Data: b}, nil }

// EchoResponse (0x80) returns the data of an echo request.
type EchoResponse struct {
	Data []byte // the data of the echo request
}

// PayloadType is TypeEchoResponse.
func (EchoResponse) PayloadType() PayloadType { return TypeEchoResponse }

// AppendData appends the echo data.
func (p EchoResponse) AppendData(dst []byte) ([]byte, error) { return append(dst, p.Data...), nil }

// DecodeEchoResponse decodes an echo response; any data is valid.
func DecodeEchoResponse(b []byte) (EchoResponse, error) { return EchoResponse{Data: b}, nil }

// OutgoingMessage (0x01) is a message envelope sent by its sender.
type OutgoingMessage struct {
	Envelope Envelope // the message, Sender being the logged-in identity
}

// PayloadType is TypeOutgoingMessage.
func (OutgoingMessage) PayloadType() PayloadType { return TypeOutgoingMessage }

// AppendData appends the envelope.
func (p OutgoingMessage) AppendData(dst []byte) ([]byte, error) { return p.Envelope.AppendTo(dst) }

// DecodeOutgoingMessage decodes an outgoing message envelope.
func DecodeOutgoingMessage(b []byte) (OutgoingMessage, error) {
	e, err := DecodeEnvelope(b)
	return OutgoingMessage{Envelope: e}, err
}

// IncomingMessage (0x02) is a message envelope delivered to its receiver.
type IncomingMessage struct {
	Envelope Envelope // the message, Receiver being the logged-in identity
}

// PayloadType is TypeIncomingMessage.
func (IncomingMessage) PayloadType() PayloadType { return TypeIncomingMessage }

// AppendData appends the envelope.
func (p IncomingMessage) AppendData(dst []byte) ([]byte, error) { return p.Envelope.AppendTo(dst) }

// DecodeIncomingMessage decodes an incoming message envelope.
func DecodeIncomingMessage(b []byte) (IncomingMessage, error) {
	e, err := DecodeEnvelope(b)
	return IncomingMessage{Envelope: e}, err
}

// ServerAck (0x81) acknowledges an outgoing message to its sender once the
// server has stored it: receiver ‖ message id.
type ServerAck struct {
	Receiver  ID     // the receiver of the acknowledged message
	MessageID uint64 // its message id
}

// PayloadType is TypeServerAck.
func (ServerAck) PayloadType() PayloadType { return TypeServerAck }

// AppendData appends receiver ‖ message-id u64-le.
func (p ServerAck) AppendData(dst []byte) ([]byte, error) {
	return appendAck(dst, p.Receiver, p.MessageID)
}

// DecodeServerAck decodes a server ack of exactly 16 bytes.
func DecodeServerAck(b []byte) (ServerAck, error) {
	id, mid, err := decodeAck(b)
	return ServerAck{Receiver: id, MessageID: mid}, err
}

// ClientAck (0x82) acknowledges an incoming message to the server, which then
// deletes it: sender ‖ message id.
type ClientAck struct {
	Sender    ID     // the sender of the acknowledged message
	MessageID uint64 // its message id
}

// PayloadType is TypeClientAck.
func (ClientAck) PayloadType() PayloadType { return TypeClientAck }

// AppendData appends sender ‖ message-id u64-le.
func (p ClientAck) AppendData(dst []byte) ([]byte, error) {
	return appendAck(dst, p.Sender, p.MessageID)
}

// DecodeClientAck decodes a client ack of exactly 16 bytes.
func DecodeClientAck(b []byte) (ClientAck, error) {
	id, mid, err := decodeAck(b)
	return ClientAck{Sender: id, MessageID: mid}, err
}

func appendAck(dst []byte, id ID, mid uint64) ([]byte, error) {
	if !id.Valid() {
		return dst, fmt.Errorf("csp: ack: %w", ErrInvalidID)
	}
	dst = append(dst, id[:]...)
	return binary.LittleEndian.AppendUint64(dst, mid), nil
}

func decodeAck(b []byte) (ID, uint64, error) {
	if len(b) != ackLen {
		return ID{}, 0, fmt.Errorf("%w: ack of %d bytes, want %d", ErrLength, len(b), ackLen)
	}
	id, err := IDFromBytes(b[:IDLen])
	if err != nil {
		return ID{}, 0, err
	}
	return id, binary.LittleEndian.Uint64(b[IDLen:]), nil
}

// UnblockIncomingMessages (0x03) lets a multi-device client receive; Kurier
// has no multi-device blocking and accepts it as a no-op.
type UnblockIncomingMessages struct{}

// PayloadType is TypeUnblockIncomingMessages.
func (UnblockIncomingMessages) PayloadType() PayloadType { return TypeUnblockIncomingMessages }

// AppendData appends nothing.
func (UnblockIncomingMessages) AppendData(dst []byte) ([]byte, error) { return dst, nil }

// DecodeUnblockIncomingMessages requires empty data.
func DecodeUnblockIncomingMessages(b []byte) (UnblockIncomingMessages, error) {
	return UnblockIncomingMessages{}, requireEmpty(b)
}

// PushTokenType is the type byte of a push token (§3.3).
type PushTokenType uint8

// Push token types (§3.3).
const (
	// PushTokenNone removes the token.
	PushTokenNone PushTokenType = 0x00
	// PushTokenAPNsFirst is the first of the APNs variants 0x01..0x06.
	PushTokenAPNsFirst PushTokenType = 0x01
	// PushTokenAPNsLast is the last of the APNs variants.
	PushTokenAPNsLast PushTokenType = 0x06
	// PushTokenFCM is a Firebase Cloud Messaging token.
	PushTokenFCM PushTokenType = 0x11
	// PushTokenHMS is a Huawei Mobile Services token.
	PushTokenHMS PushTokenType = 0x13
)

// Valid reports whether t is a push token type of §3.3.
func (t PushTokenType) Valid() bool {
	return t == PushTokenNone || (t >= PushTokenAPNsFirst && t <= PushTokenAPNsLast) || t == PushTokenFCM || t == PushTokenHMS
}

// PushToken is the common body of payloads 0x20 and 0x24: type ‖ token.
type PushToken struct {
	TokenType PushTokenType // the push service
	Token     []byte        // at most MaxPushTokenLen bytes
}

func (p PushToken) appendData(dst []byte) ([]byte, error) {
	if !p.TokenType.Valid() || len(p.Token) > MaxPushTokenLen {
		return dst, fmt.Errorf("%w: push token type %#02x, %d bytes", ErrInvalidPayload, uint8(p.TokenType), len(p.Token))
	}
	dst = append(dst, byte(p.TokenType))
	return append(dst, p.Token...), nil
}

func decodePushToken(b []byte) (PushToken, error) {
	if len(b) < 1 || len(b) > 1+MaxPushTokenLen {
		return PushToken{}, fmt.Errorf("%w: push token of %d bytes", ErrLength, len(b))
	}
	t := PushTokenType(b[0])
	if !t.Valid() {
		return PushToken{}, fmt.Errorf("%w: push token type %#02x", ErrInvalidPayload, b[0])
	}
	return PushToken{TokenType: t, Token: b[1:]}, nil
}

// SetPushToken (0x20) sets the client's push token.
type SetPushToken struct{ PushToken }

// PayloadType is TypeSetPushToken.
func (SetPushToken) PayloadType() PayloadType { return TypeSetPushToken }

// AppendData appends type ‖ token.
func (p SetPushToken) AppendData(dst []byte) ([]byte, error) { return p.appendData(dst) }

// DecodeSetPushToken decodes type ‖ token (≤ 255 bytes, known type).
func DecodeSetPushToken(b []byte) (SetPushToken, error) {
	t, err := decodePushToken(b)
	return SetPushToken{t}, err
}

// SetHighPriorityPushToken (0x24) sets the client's high-priority push token.
type SetHighPriorityPushToken struct{ PushToken }

// PayloadType is TypeSetHighPriorityPushToken.
func (SetHighPriorityPushToken) PayloadType() PayloadType { return TypeSetHighPriorityPushToken }

// AppendData appends type ‖ token.
func (p SetHighPriorityPushToken) AppendData(dst []byte) ([]byte, error) { return p.appendData(dst) }

// DecodeSetHighPriorityPushToken decodes type ‖ token (≤ 255 bytes, known type).
func DecodeSetHighPriorityPushToken(b []byte) (SetHighPriorityPushToken, error) {
	t, err := decodePushToken(b)
	return SetHighPriorityPushToken{t}, err
}

// DeletePushTokens (0x25) deletes the push tokens of the listed device ids.
type DeletePushTokens struct {
	DeviceIDs []uint64 // CSP device ids whose tokens go
}

// PayloadType is TypeDeletePushTokens.
func (DeletePushTokens) PayloadType() PayloadType { return TypeDeletePushTokens }

// AppendData appends the device ids, u64-le each.
func (p DeletePushTokens) AppendData(dst []byte) ([]byte, error) {
	for _, id := range p.DeviceIDs {
		dst = binary.LittleEndian.AppendUint64(dst, id)
	}
	return dst, nil
}

// DecodeDeletePushTokens decodes a list of u64-le device ids.
func DecodeDeletePushTokens(b []byte) (DeletePushTokens, error) {
	if len(b)%8 != 0 {
		return DeletePushTokens{}, fmt.Errorf("%w: device id list of %d bytes", ErrLength, len(b))
	}
	ids := make([]uint64, 0, len(b)/8)
	for ; len(b) > 0; b = b[8:] {
		ids = append(ids, binary.LittleEndian.Uint64(b))
	}
	return DeletePushTokens{DeviceIDs: ids}, nil
}

// SetConnectionIdleTimeout (0x30) sets the idle timeout of the connection.
type SetConnectionIdleTimeout struct {
	Seconds uint16 // MinIdleTimeoutSeconds..MaxIdleTimeoutSeconds
}

// PayloadType is TypeSetConnectionIdleTimeout.
func (SetConnectionIdleTimeout) PayloadType() PayloadType { return TypeSetConnectionIdleTimeout }

// AppendData appends the seconds, u16-le, refusing values outside 30..600.
func (p SetConnectionIdleTimeout) AppendData(dst []byte) ([]byte, error) {
	if p.Seconds < MinIdleTimeoutSeconds || p.Seconds > MaxIdleTimeoutSeconds {
		return dst, fmt.Errorf("%w: idle timeout %d s", ErrInvalidPayload, p.Seconds)
	}
	return binary.LittleEndian.AppendUint16(dst, p.Seconds), nil
}

// DecodeSetConnectionIdleTimeout decodes u16-le seconds in 30..600.
func DecodeSetConnectionIdleTimeout(b []byte) (SetConnectionIdleTimeout, error) {
	if len(b) != 2 {
		return SetConnectionIdleTimeout{}, fmt.Errorf("%w: idle timeout of %d bytes", ErrLength, len(b))
	}
	s := binary.LittleEndian.Uint16(b)
	if s < MinIdleTimeoutSeconds || s > MaxIdleTimeoutSeconds {
		return SetConnectionIdleTimeout{}, fmt.Errorf("%w: idle timeout %d s", ErrInvalidPayload, s)
	}
	return SetConnectionIdleTimeout{Seconds: s}, nil
}

// QueueSendComplete (0xd0) tells the client that its offline queue is drained.
type QueueSendComplete struct{}

// PayloadType is TypeQueueSendComplete.
func (QueueSendComplete) PayloadType() PayloadType { return TypeQueueSendComplete }

// AppendData appends nothing.
func (QueueSendComplete) AppendData(dst []byte) ([]byte, error) { return dst, nil }

// DecodeQueueSendComplete requires empty data.
func DecodeQueueSendComplete(b []byte) (QueueSendComplete, error) {
	return QueueSendComplete{}, requireEmpty(b)
}

// DeviceCookieChangeIndication (0xd2) tells the client its device cookie
// changed since it was last cleared.
type DeviceCookieChangeIndication struct{}

// PayloadType is TypeDeviceCookieChangeIndication.
func (DeviceCookieChangeIndication) PayloadType() PayloadType {
	return TypeDeviceCookieChangeIndication
}

// AppendData appends nothing.
func (DeviceCookieChangeIndication) AppendData(dst []byte) ([]byte, error) { return dst, nil }

// DecodeDeviceCookieChangeIndication requires empty data.
func DecodeDeviceCookieChangeIndication(b []byte) (DeviceCookieChangeIndication, error) {
	return DeviceCookieChangeIndication{}, requireEmpty(b)
}

// ClearDeviceCookieChangeIndication (0xd3) clears the indication.
type ClearDeviceCookieChangeIndication struct{}

// PayloadType is TypeClearDeviceCookieChangeIndication.
func (ClearDeviceCookieChangeIndication) PayloadType() PayloadType {
	return TypeClearDeviceCookieChangeIndication
}

// AppendData appends nothing.
func (ClearDeviceCookieChangeIndication) AppendData(dst []byte) ([]byte, error) { return dst, nil }

// DecodeClearDeviceCookieChangeIndication requires empty data.
func DecodeClearDeviceCookieChangeIndication(b []byte) (ClearDeviceCookieChangeIndication, error) {
	return ClearDeviceCookieChangeIndication{}, requireEmpty(b)
}

// CloseError (0xe0) tells the client why the server closes the connection and
// whether it may reconnect.
type CloseError struct {
	CanReconnect bool   // whether the client may connect again
	Message      string // the reason, UTF-8
}

// PayloadType is TypeCloseError.
func (CloseError) PayloadType() PayloadType { return TypeCloseError }

// AppendData appends canReconnect u8 ‖ UTF-8 message.
func (p CloseError) AppendData(dst []byte) ([]byte, error) {
	if !utf8.ValidString(p.Message) {
		return dst, fmt.Errorf("%w: close-error message is not UTF-8", ErrInvalidPayload)
	}
	b := byte(0)
	if p.CanReconnect {
		b = 1
	}
	return append(append(dst, b), p.Message...), nil
}

// DecodeCloseError decodes canReconnect (0 or 1) ‖ UTF-8 message.
func DecodeCloseError(b []byte) (CloseError, error) {
	if len(b) < 1 {
		return CloseError{}, fmt.Errorf("%w: empty close-error", ErrLength)
	}
	if b[0] > 1 {
		return CloseError{}, fmt.Errorf("%w: canReconnect %d", ErrInvalidPayload, b[0])
	}
	if !utf8.Valid(b[1:]) {
		return CloseError{}, fmt.Errorf("%w: close-error message is not UTF-8", ErrInvalidPayload)
	}
	return CloseError{CanReconnect: b[0] == 1, Message: string(b[1:])}, nil
}

// Error makes a CloseError usable as an error value.
func (p CloseError) Error() string {
	return fmt.Sprintf("csp: server closed the connection (can reconnect: %t): %s", p.CanReconnect, p.Message)
}

// Alert (0xe1) is a message for the user.
type Alert struct {
	Message string // UTF-8
}

// PayloadType is TypeAlert.
func (Alert) PayloadType() PayloadType { return TypeAlert }

// AppendData appends the UTF-8 message.
func (p Alert) AppendData(dst []byte) ([]byte, error) {
	if !utf8.ValidString(p.Message) {
		return dst, fmt.Errorf("%w: alert is not UTF-8", ErrInvalidPayload)
	}
	return append(dst, p.Message...), nil
}

// DecodeAlert decodes a UTF-8 message.
func DecodeAlert(b []byte) (Alert, error) {
	if !utf8.Valid(b) {
		return Alert{}, fmt.Errorf("%w: alert is not UTF-8", ErrInvalidPayload)
	}
	return Alert{Message: string(b)}, nil
}

func requireEmpty(b []byte) error {
	if len(b) != 0 {
		return fmt.Errorf("%w: %d bytes where none are allowed", ErrLength, len(b))
	}
	return nil
}
