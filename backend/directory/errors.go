package directory

import "errors"

// The errors of the wire (ErrNotFound, ErrBadRequest, …) are the sentinels
// of protocol/directory; these are the server's own.

// ErrIDSpaceExhausted is returned when no free identity could be drawn; it
// is an internal error on the wire.
var ErrIDSpaceExhausted = errors.New("directory: could not draw a free identity")
