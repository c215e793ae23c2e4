package e2e

import (
	"errors"
	"fmt"
)

var (
	// ErrPadding is returned for a container whose PKCS#7-style padding is
	// malformed: a zero pad byte, a pad longer than the data, or pad bytes that
	// are not all equal (§3.5).
	ErrPadding = errors.New("e2e: bad padding")
	// ErrMalformed is returned for an inner message whose layout is broken:
	// truncated, trailing bytes, a wrong length, bad JSON or bad protobuf.
	ErrMalformed = errors.New("e2e: malformed message")
	// ErrInvalidField is returned for a well-formed message with a value out of
	// range: invalid UTF-8, an unknown status, a bad coordinate, a bad key.
	ErrInvalidField = errors.New("e2e: invalid field")
	// ErrTooLarge is returned for a text over MaxTextLen bytes, a list over its
	// bound, or a sealed message that would not fit in one CSP envelope.
	ErrTooLarge = errors.New("e2e: too large")
	// ErrUnsupportedType is returned (inside an *UnsupportedTypeError that
	// carries the type byte) for a message type this package does not decode:
	// unknown, deprecated, or not implemented yet.
	ErrUnsupportedType = errors.New("e2e: unsupported message type")
	// ErrDecrypt is returned when the message box or the metadata box fails
	// authentication. It wraps cryptobox.ErrDecrypt.
	ErrDecrypt = errors.New("e2e: decryption failed")
	// ErrMissingMetadata is returned by Open for a legacy message without a
	// metadata box: Kurier speaks message payload version 1 only (§3.4).
	ErrMissingMetadata = errors.New("e2e: no metadata box")
	// ErrMessageIDMismatch is returned when the message id inside the
	// metadata box differs from the id in the envelope header (§3.4, §6 #3).
	ErrMessageIDMismatch = errors.New("e2e: metadata message id differs from header")
	// ErrNotForMe is returned when the header's receiver is not the local
	// identity (§3.4 receiver duties, §6 #4).
	ErrNotForMe = errors.New("e2e: message is addressed to another identity")
	// ErrFromSelf is returned when the header's sender is the local identity
	// (a reflected message, §6 #4).
	ErrFromSelf = errors.New("e2e: message claims to come from self")
	// ErrWrongPeer is returned when a header's identities do not belong to the
	// PeerKeys used to seal or open it.
	ErrWrongPeer = errors.New("e2e: header does not match the peer keys")
	// ErrInvalidHeader is returned by Seal for a header it cannot send: an
	// invalid identity, a time outside the u32 seconds range, a reserved flag.
	ErrInvalidHeader = errors.New("e2e: invalid header")
	// ErrInvalidKey is returned for a peer public key of low order, which
	// would give a shared key anyone can compute.
	ErrInvalidKey = errors.New("e2e: invalid peer key")
	// ErrReplay is returned by CheckNonce when a nonce store already holds
	// the nonce of a message: a replay or a reflection (§6 #4).
	ErrReplay = errors.New("e2e: nonce already used")
)

// UnsupportedTypeError is the error for a message type that Decode does not
// handle. It matches ErrUnsupportedType with errors.Is; errors.As gives the
// type byte so a caller can log it and drop the message.
type UnsupportedTypeError struct {
	// Type is the container's type byte.
	Type byte
}

// Error names the type byte, never the content.
func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("%v 0x%02x", ErrUnsupportedType, e.Type)
}

// Unwrap makes errors.Is(err, ErrUnsupportedType) hold.
func (e *UnsupportedTypeError) Unwrap() error { return ErrUnsupportedType }
