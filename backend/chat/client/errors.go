package client

import (
	"errors"
	"fmt"

	"github.com/kurier/kurier/protocol/csp"
)

var (
	// ErrClosed is returned once the client is closed.
	ErrClosed = errors.New("client: closed")
	// ErrNotConnected is returned by Ack (and by Send of a no-ack message)
	// while no connection is up.
	ErrNotConnected = errors.New("client: not connected")
	// ErrTakenOver matches (errors.Is) the CloseError of a connection that
	// another login of the same identity took over.
	ErrTakenOver = errors.New("client: another connection for the same identity took over")
	// ErrEchoTimeout is the reason a connection is dropped when the server
	// leaves an echo request unanswered.
	ErrEchoTimeout = errors.New("client: echo timeout")
	// ErrDuplicate is returned by Send for a message id that is already
	// waiting for its ack to the same receiver.
	ErrDuplicate = errors.New("client: message already pending")
	// ErrConfig is returned by Dial for an incomplete Config.
	ErrConfig = errors.New("client: invalid config")
	// errUnexpected marks a frame the server should never send.
	errUnexpected = errors.New("client: unexpected payload")
)

// CloseError is a close-error (0xe0) the server sent before closing.
type CloseError struct {
	// CanReconnect is the server's permission to reconnect.
	CanReconnect bool
	// Message is the server's reason.
	Message string
}

// Error describes the close-error.
func (e *CloseError) Error() string {
	return fmt.Sprintf("client: server closed the connection (can reconnect: %t): %s", e.CanReconnect, e.Message)
}

// Is makes errors.Is(err, ErrTakenOver) true for a takeover.
func (e *CloseError) Is(target error) bool {
	return target == ErrTakenOver && e.Message == csp.TakeoverMessage
}
