package webclient

import "errors"

// Sentinel errors of the codec. Every error this package returns wraps one of
// them (or one of the wire error sentinels of codes.go) with %w.
var (
	// ErrMalformed is bytes that are not exactly one strict msgpack map: bad
	// encoding, trailing bytes, non-string or duplicate keys, extension types,
	// declared lengths beyond the message, or nesting deeper than MaxDepth.
	ErrMalformed = errors.New("webclient: malformed msgpack")
	// ErrTooLarge is a message over MaxMessageSize.
	ErrTooLarge = errors.New("webclient: message too large")
	// ErrEnvelope is an envelope that breaks §2.2: unknown type, empty or
	// oversize subType, bad id or ack.
	ErrEnvelope = errors.New("webclient: invalid envelope")
	// ErrField is a payload field that is missing, of the wrong msgpack type or
	// out of range (§2.4).
	ErrField = errors.New("webclient: invalid field")
	// ErrTooLong is a string or binary field over its byte limit (§2.4
	// limits); it maps to the wire error valueTooLong.
	ErrTooLong = errors.New("webclient: value too long")
	// ErrReceiver is receiver addressing (args.type, args.id) that is not valid.
	ErrReceiver = errors.New("webclient: invalid receiver")
	// ErrUnknownMessage is a (type, subType) pair outside the §2.4 catalogue,
	// or one that the decoding side does not receive.
	ErrUnknownMessage = errors.New("webclient: unknown message")
	// ErrWrongMessage is a typed decoder given a message of another (type, subType).
	ErrWrongMessage = errors.New("webclient: wrong message for decoder")
	// ErrNoResult is a reply that carries neither an ack nor the legacy
	// temporaryId/success arguments.
	ErrNoResult = errors.New("webclient: reply without result")
)
