package control

import (
	"context"
	"errors"
	"net/http"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/qr"
)

var (
	// ErrBadRequest is returned for a request body that does not decode or validate.
	ErrBadRequest = errors.New("control: bad request")
	// ErrUnauthorized is returned for a request without the right bearer token.
	ErrUnauthorized = errors.New("control: unauthorized")
)

// statusOf maps an error to its HTTP status: the one place where the
// phone's errors become wire codes.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, phone.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, phone.ErrImage):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrBadRequest), errors.Is(err, phone.ErrInvalid), errors.Is(err, phone.ErrSelf),
		errors.Is(err, qr.ErrInvalid), errors.Is(err, webclient.ErrWrongServer):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrNotFound), errors.Is(err, phone.ErrUnknownIdentity), errors.Is(err, webclient.ErrSessionNotFound):
		return http.StatusNotFound
	case errors.Is(err, phone.ErrBlocked), errors.Is(err, phone.ErrRevoked), errors.Is(err, phone.ErrNotMember),
		errors.Is(err, phone.ErrNotCreator), errors.Is(err, phone.ErrFeatureUnsupported):
		return http.StatusConflict
	case errors.Is(err, webclient.ErrNotPermanent):
		return http.StatusConflict
	case errors.Is(err, phone.ErrNotConnected), errors.Is(err, webclient.ErrNoSignaling), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
