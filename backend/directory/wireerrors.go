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
