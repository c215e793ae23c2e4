package rtclink

import "errors"

// Sentinel errors. Close codes from the server or peer arrive as the
// protocol/saltyrtc sentinels (saltyrtc.CloseCodeToError), wrapped.
var (
	// ErrConfig is an invalid configuration.
	ErrConfig = errors.New("rtclink: invalid configuration")
	// ErrCertificatePin is a TLS certificate whose SHA-256 is not the pinned one.
	ErrCertificatePin = errors.New("rtclink: TLS certificate does not match the pinned fingerprint")
	// ErrPeerGone means the peer disconnected, was replaced, or could not be reached.
	ErrPeerGone = errors.New("rtclink: peer gone")
	// ErrClosed means the session is closed.
	ErrClosed = errors.New("rtclink: session closed")
	// ErrNoMessenger means the chosen task does not carry application messages.
	ErrNoMessenger = errors.New("rtclink: task does not carry messages")
)
