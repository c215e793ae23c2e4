package chat

import "errors"

var (
	// ErrConfig is returned by New for an incomplete or invalid Config.
	ErrConfig = errors.New("chat: invalid config")
	// ErrClosed is returned by the admin methods once Run has returned.
	ErrClosed = errors.New("chat: server closed")
	// ErrNotFound is returned for an identity the server knows nothing about
	// where one is required.
	ErrNotFound = errors.New("chat: not found")
	// ErrQueueFull is returned when a receiver's queue has reached
	// Config.MaxQueuePerReceiver; the message is neither stored nor acked.
	ErrQueueFull = errors.New("chat: receiver queue full")

	// errProtocol marks a client that broke the protocol after login; its
	// connection is closed.
	errProtocol = errors.New("chat: protocol violation")
)
