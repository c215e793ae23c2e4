package directory

import "errors"

// Sentinel errors of the directory API. Each stands for one errorType of a
// {success:false, error, errorType} body (ErrorTypeOf, ErrorForType); the
// server wraps them with detail, clients match them with errors.Is.
var (
	// ErrNotFound is returned when an identity is not registered.
	ErrNotFound = errors.New("directory: identity not found")
	// ErrBadRequest is returned for a request that does not parse or validate.
	ErrBadRequest = errors.New("directory: bad request")
	// ErrTooLarge is returned for a request body or batch above the limits.
	ErrTooLarge = errors.New("directory: request too large")
	// ErrRateLimited is returned when a client exceeded its request budget.
	ErrRateLimited = errors.New("directory: rate limited")
	// ErrTokenInvalid is returned for a challenge token that is unknown,
	// expired, already used, or issued for another key or call.
	ErrTokenInvalid = errors.New("directory: challenge token invalid")
	// ErrProofRejected is returned when a challenge response does not prove
	// possession of the private key.
	ErrProofRejected = errors.New("directory: challenge response rejected")
	// ErrLegacyResponse is returned for the legacy box challenge response
	// (with a nonce field), which the directory refuses (shared/protocols.md §6).
	ErrLegacyResponse = errors.New("directory: legacy challenge response refused")
	// ErrKeyReserved is returned when a client tries to register a server key.
	ErrKeyReserved = errors.New("directory: public key reserved")
	// ErrKeyInUse is returned when a public key is already registered.
	ErrKeyInUse = errors.New("directory: public key already registered")
	// ErrInvalidKey is returned for a public key that is not a usable X25519
	// key (wrong length or a low-order point).
	ErrInvalidKey = errors.New("directory: invalid public key")
	// ErrRevoked is returned for an authenticated call on a revoked identity.
	ErrRevoked = errors.New("directory: identity revoked")
	// ErrBusy is returned when too many challenges are outstanding.
	ErrBusy = errors.New("directory: too many pending challenges")
	// ErrInternal stands for a server-side failure reported on the wire.
	ErrInternal = errors.New("directory: internal error")
)
