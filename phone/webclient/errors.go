package webclient

import "errors"

// Sentinel errors of the desktop link.
var (
	// ErrNoSignaling: the phone's backend.json has no signaling server.
	ErrNoSignaling = errors.New("webclient: backend has no signaling server")
	// ErrWrongServer: the QR code names another signaling server than the phone's.
	ErrWrongServer = errors.New("webclient: pairing code is for another signaling server")
	// ErrNotPermanent: a session that is not permanent cannot reconnect.
	ErrNotPermanent = errors.New("webclient: session is not permanent")
	// ErrSessionNotFound: no desktop session with that id.
	ErrSessionNotFound = errors.New("webclient: desktop session not found")
	// ErrClosed: the server was closed.
	ErrClosed = errors.New("webclient: server closed")
	// ErrHandshake: the desktop did not start with update/connectionInfo.
	ErrHandshake = errors.New("webclient: desktop did not send connectionInfo first")
	// ErrResume: the desktop asked to resume from a sequence number the phone cannot serve.
	ErrResume = errors.New("webclient: cannot resume")
	// errLinkLost marks the end of a connection by the link (not by either
	// side's choice): such a connection is parked for resume.
	errLinkLost = errors.New("webclient: link lost")
	// errBusy: another session became active while KeepConnected dialled.
	errBusy = errors.New("webclient: another session is active")
)
