package saltyrtc

import "errors"

// Sentinel errors. Each maps to one close code of §1.7 through ErrorToCloseCode.
var (
	// ErrProtocol is any violation of the protocol by the peer or server (close 3001).
	ErrProtocol = errors.New("saltyrtc: protocol error")
	// ErrShortFrame is a frame of at most 24 bytes: no data after the nonce (§1.3, close 3001).
	ErrShortFrame = errors.New("saltyrtc: frame too short")
	// ErrCookie is a cookie that changed, or that equals one's own (§1.3, close 3001).
	ErrCookie = errors.New("saltyrtc: invalid cookie")
	// ErrCSN is a combined sequence number that is not the previous one plus one,
	// or a first one whose overflow is not zero (§1.3, close 3001).
	ErrCSN = errors.New("saltyrtc: invalid combined sequence number")
	// ErrCSNExhausted means the 48-bit combined sequence number would wrap (§1.3, close 3001).
	ErrCSNExhausted = errors.New("saltyrtc: combined sequence number exhausted")
	// ErrAddress is a source or destination address that is not allowed here (§1.3, close 3001).
	ErrAddress = errors.New("saltyrtc: invalid address")
	// ErrMessage is a msgpack message that is malformed, of an unknown type, or
	// with a missing, Nil or wrongly sized field (§1.3, close 3001).
	ErrMessage = errors.New("saltyrtc: invalid message")
	// ErrUnexpectedMessage is a valid message in a state that does not allow it (close 3001).
	ErrUnexpectedMessage = errors.New("saltyrtc: unexpected message")
	// ErrDecrypt is a box or secretbox that does not open (close 3001, or 3005 for
	// the initiator's first message from a responder).
	ErrDecrypt = errors.New("saltyrtc: decryption failed")
	// ErrSignedKeys is a server-auth whose signed_keys is absent, does not open with
	// the pinned server key, or does not hold the expected keys (§1.4, close 3007).
	ErrSignedKeys = errors.New("saltyrtc: invalid signed_keys")
	// ErrInvalidKey is a key that the server or peer must not use (§1.4, close 3007).
	ErrInvalidKey = errors.New("saltyrtc: invalid key")
	// ErrPathFull means the server had no free responder address (close 3000).
	ErrPathFull = errors.New("saltyrtc: path full")
	// ErrInternal is an internal error (close 3002).
	ErrInternal = errors.New("saltyrtc: internal error")
	// ErrHandover means the signalling channel was handed over to the task (close 3003).
	ErrHandover = errors.New("saltyrtc: handover of the signalling channel")
	// ErrDropped means the initiator dropped this responder (close 3004).
	ErrDropped = errors.New("saltyrtc: dropped by initiator")
	// ErrInitiatorCouldNotDecrypt means the initiator could not decrypt our first message (close 3005).
	ErrInitiatorCouldNotDecrypt = errors.New("saltyrtc: initiator could not decrypt")
	// ErrNoSharedTask means the peers have no task in common (§1.6, close 3006).
	ErrNoSharedTask = errors.New("saltyrtc: no shared task")
	// ErrTimeout is a keepalive or handshake timeout (§1.7, close 3008).
	ErrTimeout = errors.New("saltyrtc: timeout")
	// ErrGoingAway is a normal end of the session (close 1000 or 1001).
	ErrGoingAway = errors.New("saltyrtc: going away")
	// ErrSubprotocol means the WebSocket subprotocol was not v1.saltyrtc.org (§1.2, close 1002).
	ErrSubprotocol = errors.New("saltyrtc: subprotocol not negotiated")
	// ErrState is a call that the client's current state does not allow (a caller bug, no close code).
	ErrState = errors.New("saltyrtc: not allowed in this state")
	// ErrConfig is an invalid client configuration.
	ErrConfig = errors.New("saltyrtc: invalid configuration")
	// ErrClosed means the client or session is closed.
	ErrClosed = errors.New("saltyrtc: closed")
)
