package directory

import "errors"

// Wire error types: the errorType field of a {success:false, error,
// errorType} body (shared/protocols.md §4). They are converted to and from
// sentinels only by errorToType and ErrorForType.
const (
	errTypeBadRequest     = "badRequest"
	errTypeTooLarge       = "tooLarge"
	errTypeNotFound       = "notFound"
	errTypeRateLimited    = "rateLimited"
	errTypeTokenInvalid   = "tokenInvalid"
	errTypeProofRejected  = "invalidResponse"
	errTypeLegacyResponse = "legacyResponse"
	errTypeKeyReserved    = "keyReserved"
	errTypeKeyInUse       = "keyInUse"
	errTypeInvalidKey     = "invalidKey"
	errTypeRevoked        = "revoked"
	errTypeBusy           = "busy"
	errTypeInternal       = "internal"
)

// wireErrors pairs each wire error type with its sentinel.
var wireErrors = []struct {
	typ string
	err error
}{
	{errTypeBadRequest, ErrBadRequest},
	{errTypeTooLarge, ErrTooLarge},
	{errTypeNotFound, ErrNotFound},
	{errTypeRateLimited, ErrRateLimited},
	{errTypeTokenInvalid, ErrTokenInvalid},
	{errTypeProofRejected, ErrProofRejected},
	{errTypeLegacyResponse, ErrLegacyResponse},
	{errTypeKeyReserved, ErrKeyReserved},
	{errTypeKeyInUse, ErrKeyInUse},
	{errTypeInvalidKey, ErrInvalidKey},
	{errTypeRevoked, ErrRevoked},
	{errTypeBusy, ErrBusy},
	{errTypeInternal, ErrInternal},
}

// errorMessages is the short, fixed message of each wire error type: what
// an error body says. The error's own text (its chain, with the field and
// the cause) goes to the log only.
var errorMessages = map[string]string{
	errTypeBadRequest:     "the request is not valid",
	errTypeTooLarge:       "the request is too large",
	errTypeNotFound:       "not found",
	errTypeRateLimited:    "too many requests; retry after the time in Retry-After",
	errTypeTokenInvalid:   "the token is invalid or expired",
	errTypeProofRejected:  "the proof of key possession was rejected",
	errTypeLegacyResponse: "the legacy response is not accepted",
	errTypeKeyReserved:    "this public key is reserved",
	errTypeKeyInUse:       "this public key is in use",
	errTypeInvalidKey:     "the public key is not valid",
	errTypeRevoked:        "the identity is revoked",
	errTypeBusy:           "the server is busy; retry later",
	errTypeInternal:       "internal error",
}

// errorMessage is the body message of a wire error type.
func errorMessage(typ string) string {
	if m, ok := errorMessages[typ]; ok {
		return m
	}
	return errorMessages[errTypeInternal]
}

// errorToType maps an error to its wire errorType; anything unknown is internal.
func errorToType(err error) string {
	for _, w := range wireErrors {
		if errors.Is(err, w.err) {
			return w.typ
		}
	}
	return errTypeInternal
}

// ErrorForType maps a wire errorType to its sentinel error, for clients. An
// unknown type yields ErrInternal.
func ErrorForType(errorType string) error {
	for _, w := range wireErrors {
		if w.typ == errorType {
			return w.err
		}
	}
	return ErrInternal
}
