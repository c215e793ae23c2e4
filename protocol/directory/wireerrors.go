package directory

import "errors"

// Wire error types: the errorType field of a {success:false, error,
// errorType} body (shared/protocols.md §4). They are converted to and from
// the sentinel errors only by ErrorTypeOf and ErrorForType.
const (
	ErrorTypeBadRequest     = "badRequest"      // ErrBadRequest
	ErrorTypeTooLarge       = "tooLarge"        // ErrTooLarge
	ErrorTypeNotFound       = "notFound"        // ErrNotFound
	ErrorTypeRateLimited    = "rateLimited"     // ErrRateLimited
	ErrorTypeTokenInvalid   = "tokenInvalid"    // ErrTokenInvalid
	ErrorTypeProofRejected  = "invalidResponse" // ErrProofRejected
	ErrorTypeLegacyResponse = "legacyResponse"  // ErrLegacyResponse
	ErrorTypeKeyReserved    = "keyReserved"     // ErrKeyReserved
	ErrorTypeKeyInUse       = "keyInUse"        // ErrKeyInUse
	ErrorTypeInvalidKey     = "invalidKey"      // ErrInvalidKey
	ErrorTypeRevoked        = "revoked"         // ErrRevoked
	ErrorTypeBusy           = "busy"            // ErrBusy
	ErrorTypeInternal       = "internal"        // ErrInternal, and any error not listed here
)

// wireErrors pairs each wire error type with its sentinel.
var wireErrors = []struct {
	typ string
	err error
}{
	{ErrorTypeBadRequest, ErrBadRequest},
	{ErrorTypeTooLarge, ErrTooLarge},
	{ErrorTypeNotFound, ErrNotFound},
	{ErrorTypeRateLimited, ErrRateLimited},
	{ErrorTypeTokenInvalid, ErrTokenInvalid},
	{ErrorTypeProofRejected, ErrProofRejected},
	{ErrorTypeLegacyResponse, ErrLegacyResponse},
	{ErrorTypeKeyReserved, ErrKeyReserved},
	{ErrorTypeKeyInUse, ErrKeyInUse},
	{ErrorTypeInvalidKey, ErrInvalidKey},
	{ErrorTypeRevoked, ErrRevoked},
	{ErrorTypeBusy, ErrBusy},
	{ErrorTypeInternal, ErrInternal},
}

// errorMessages is the short, fixed message of each wire error type: what
// an error body says. The error's own text (its chain, with the field and
// the cause) belongs in the server's log only.
var errorMessages = map[string]string{
	ErrorTypeBadRequest:     "the request is not valid",
	ErrorTypeTooLarge:       "the request is too large",
	ErrorTypeNotFound:       "not found",
	ErrorTypeRateLimited:    "too many requests; retry after the time in Retry-After",
	ErrorTypeTokenInvalid:   "the token is invalid or expired",
	ErrorTypeProofRejected:  "the proof of key possession was rejected",
	ErrorTypeLegacyResponse: "the legacy response is not accepted",
	ErrorTypeKeyReserved:    "this public key is reserved",
	ErrorTypeKeyInUse:       "this public key is in use",
	ErrorTypeInvalidKey:     "the public key is not valid",
	ErrorTypeRevoked:        "the identity is revoked",
	ErrorTypeBusy:           "the server is busy; retry later",
	ErrorTypeInternal:       "internal error",
}

// ErrorMessage is the fixed message (the error field of the body) of a wire
// error type; an unknown type has the message of ErrorTypeInternal.
func ErrorMessage(errorType string) string {
	if m, ok := errorMessages[errorType]; ok {
		return m
	}
	return errorMessages[ErrorTypeInternal]
}

// ErrorTypeOf maps an error to its wire errorType, by the first sentinel it
// matches with errors.Is; anything else is ErrorTypeInternal.
func ErrorTypeOf(err error) string {
	for _, w := range wireErrors {
		if errors.Is(err, w.err) {
			return w.typ
		}
	}
	return ErrorTypeInternal
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
