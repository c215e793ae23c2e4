package csp

import "errors"

var (
	// ErrLength is returned when an input has the wrong size for its type.
	ErrLength = errors.New("csp: wrong length")
	// ErrReserved is returned when bytes that must be zero are not.
	ErrReserved = errors.New("csp: reserved bytes not zero")
	// ErrInvalidID is returned for an identity that is not 8 characters of
	// ^[A-Z0-9*][A-Z0-9]{7}$ (§3.6).
	ErrInvalidID = errors.New("csp: invalid identity")
	// ErrDecrypt is returned when a handshake box or a frame fails
	// authentication.
	ErrDecrypt = errors.New("csp: decryption failed")
	// ErrNonceOverflow is returned when a nonce counter would wrap around.
	ErrNonceOverflow = errors.New("csp: nonce counter exhausted")
	// ErrSameCookies is returned when the client and server cookies are equal
	// (CCK must not equal SCK, §3.1).
	ErrSameCookies = errors.New("csp: client and server cookies are equal")
	// ErrCookieMismatch is returned when a peer echoes a cookie other than the
	// one it was given.
	ErrCookieMismatch = errors.New("csp: cookie mismatch")
	// ErrLegacyVouch is returned when a login uses the pre-2023 vouch box
	// (bytes 56..79 of the login data not zero); it is refused (§3.2, §6).
	ErrLegacyVouch = errors.New("csp: legacy vouch-box login is not supported")
	// ErrVouch is returned when a login's vouch does not verify.
	ErrVouch = errors.New("csp: vouch does not verify")
	// ErrExtensions is returned for malformed login extensions.
	ErrExtensions = errors.New("csp: malformed extensions")
	// ErrHandshakeState is returned when a handshake step is taken out of order.
	ErrHandshakeState = errors.New("csp: handshake step out of order")
	// ErrFrameTooLarge is returned for a frame whose box exceeds MaxFrameLen,
	// or a payload that would not fit in one.
	ErrFrameTooLarge = errors.New("csp: frame too large")
	// ErrUnknownPayload is returned for a container of an unknown payload type.
	ErrUnknownPayload = errors.New("csp: unknown payload type")
	// ErrInvalidPayload is returned for a payload whose fields are out of range.
	ErrInvalidPayload = errors.New("csp: invalid payload")
)
