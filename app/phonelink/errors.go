package phonelink

import "errors"

var (
	// ErrClosed: the connection ended before the request was answered.
	ErrClosed = errors.New("phonelink: connection closed")
	// ErrHandshake: the phone's first message was not a valid connectionInfo
	// with the connection id both sides derive.
	ErrHandshake = errors.New("phonelink: connection handshake failed")
	// ErrServer: the signaling server description is unusable.
	ErrServer = errors.New("phonelink: bad signaling server")
	// ErrDisconnected: the phone ended the session with connectionDisconnect.
	ErrDisconnected = errors.New("phonelink: the phone ended the session")
)
