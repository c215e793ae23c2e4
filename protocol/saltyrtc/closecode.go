package saltyrtc

import (
	"errors"
	"fmt"
)

// CloseCode is a WebSocket close code used by SaltyRTC (§1.7, Protocol.md "Close Code Enumeration").
type CloseCode uint16

// Close codes of §1.7.
const (
	// CloseNormal is a normal closure (RFC 6455 1000).
	CloseNormal CloseCode = 1000
	// CloseGoingAway is sent after a `close` message was sent or received (§1.6, 1001).
	CloseGoingAway CloseCode = 1001
	// CloseSubprotocolError means the subprotocol was not negotiated (§1.2, 1002).
	CloseSubprotocolError CloseCode = 1002
	// ClosePathFull means no responder address was free (§1.4, 3000).
	ClosePathFull CloseCode = 3000
	// CloseProtocolError is any protocol violation (§1.3, 3001).
	CloseProtocolError CloseCode = 3001
	// CloseInternalError is an internal error (3002).
	CloseInternalError CloseCode = 3002
	// CloseHandover means the signalling moved to the task's channel (§1.8, 3003).
	CloseHandover CloseCode = 3003
	// CloseDroppedByInitiator means the initiator dropped the responder, or was replaced (§1.4–1.5, 3004).
	CloseDroppedByInitiator CloseCode = 3004
	// CloseInitiatorCouldNotDecrypt means the initiator could not decrypt the responder's first message (§1.6, 3005).
	CloseInitiatorCouldNotDecrypt CloseCode = 3005
	// CloseNoSharedTask means the peers share no task (§1.6, 3006).
	CloseNoSharedTask CloseCode = 3006
	// CloseInvalidKey means a key was not accepted, e.g. an unknown your_key (§1.4, 3007).
	CloseInvalidKey CloseCode = 3007
	// CloseTimeout means a ping went unanswered or a deadline passed (§1.7, 3008).
	CloseTimeout CloseCode = 3008
)

// String names the close code.
func (c CloseCode) String() string {
	switch c {
	case CloseNormal:
		return "normal"
	case CloseGoingAway:
		return "going away"
	case CloseSubprotocolError:
		return "subprotocol error"
	case ClosePathFull:
		return "path full"
	case CloseProtocolError:
		return "protocol error"
	case CloseInternalError:
		return "internal error"
	case CloseHandover:
		return "handover"
	case CloseDroppedByInitiator:
		return "dropped by initiator"
	case CloseInitiatorCouldNotDecrypt:
		return "initiator could not decrypt"
	case CloseNoSharedTask:
		return "no shared task"
	case CloseInvalidKey:
		return "invalid key"
	case CloseTimeout:
		return "timeout"
	}
	return fmt.Sprintf("close code %d", uint16(c))
}

// ValidDropReason reports whether c may be the reason of a drop-responder
// message: 3001, 3002, 3004 or 3005 (§1.5, §1.7).
func ValidDropReason(c CloseCode) bool {
	switch c {
	case CloseProtocolError, CloseInternalError, CloseDroppedByInitiator, CloseInitiatorCouldNotDecrypt:
		return true
	}
	return false
}

// codeErrors is the single table behind CloseCodeToError and ErrorToCloseCode.
var codeErrors = []struct {
	code CloseCode
	err  error
}{
	{CloseNormal, ErrGoingAway},
	{CloseGoingAway, ErrGoingAway},
	{CloseSubprotocolError, ErrSubprotocol},
	{ClosePathFull, ErrPathFull},
	{CloseProtocolError, ErrProtocol},
	{CloseInternalError, ErrInternal},
	{CloseHandover, ErrHandover},
	{CloseDroppedByInitiator, ErrDropped},
	{CloseInitiatorCouldNotDecrypt, ErrInitiatorCouldNotDecrypt},
	{CloseNoSharedTask, ErrNoSharedTask},
	{CloseInvalidKey, ErrInvalidKey},
	{CloseTimeout, ErrTimeout},
}

// protocolErrors are the sentinels that all mean "protocol error" (3001).
var protocolErrors = []error{
	ErrShortFrame, ErrCookie, ErrCSN, ErrCSNExhausted, ErrAddress, ErrMessage,
	ErrUnexpectedMessage, ErrDecrypt,
}

// CloseCodeToError turns a received close code into its sentinel error,
// wrapped with the code. Codes of no meaning to SaltyRTC wrap ErrProtocol.
func CloseCodeToError(code CloseCode) error {
	for _, ce := range codeErrors {
		if ce.code == code {
			return fmt.Errorf("%w (close %d)", ce.err, uint16(code))
		}
	}
	return fmt.Errorf("%w: unknown close code %d", ErrProtocol, uint16(code))
}

// ErrorToCloseCode picks the close code to send for err: the code of the
// first sentinel it wraps, 1000 for nil, and 3002 for anything unknown.
func ErrorToCloseCode(err error) CloseCode {
	if err == nil {
		return CloseNormal
	}
	if errors.Is(err, ErrSignedKeys) {
		return CloseInvalidKey
	}
	for _, pe := range protocolErrors {
		if errors.Is(err, pe) {
			return CloseProtocolError
		}
	}
	for _, ce := range codeErrors {
		if errors.Is(err, ce.err) {
			return ce.code
		}
	}
	return CloseInternalError
}
