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

	// ErrNotWebRTC means the session's chosen task is not the WebRTC task.
	ErrNotWebRTC = errors.New("rtclink: the chosen task is not the WebRTC task")
	// ErrTaskData is WebRTC task data of the peer that is malformed (§1.8, close 3001).
	ErrTaskData = errors.New("rtclink: invalid WebRTC task data")
	// ErrWebRTC is a failure of the WebRTC peer connection (ICE, DTLS, SCTP or SDP).
	ErrWebRTC = errors.New("rtclink: WebRTC failure")
	// ErrChannelClosed means a secure data channel is closed, locally or by the peer.
	ErrChannelClosed = errors.New("rtclink: data channel closed")
	// ErrChannelNonce is a secure data channel nonce that is malformed, for another
	// channel id, with a changed cookie or with our own cookie (§1.8, close 3001).
	ErrChannelNonce = errors.New("rtclink: invalid data channel nonce")
	// ErrReplay is a secure data channel message whose sequence number was
	// already received or is too old (§1.8 nonce tracking, close 3001).
	ErrReplay = errors.New("rtclink: replayed data channel message")
	// ErrChannelLabel is a label that cannot be opened or accepted (empty, or
	// the signalling channel's label).
	ErrChannelLabel = errors.New("rtclink: invalid data channel label")
	// ErrTooManyChannels means the peer opened more data channels than are accepted.
	ErrTooManyChannels = errors.New("rtclink: too many pending data channels")
)
