// Package rtclink is the Go SaltyRTC client that the desktop (initiator) and
// the phone (responder) use to find each other through the signalling server
// (shared/protocols.md §1). It drives the pure state machine of
// protocol/saltyrtc over a gorilla WebSocket: one reader goroutine per
// connection, writes serialised, time injected.
//
// Dial returns once the peer handshake is done and a task was chosen. The
// Relayed Data task (§1.9) carries application messages through the server;
// other tasks (the WebRTC task) plug in through the Task interface and take
// over the transport with TaskLink.
//
// rtclink imports neither backend/ nor phone/, so app/ can use it.
package rtclink
