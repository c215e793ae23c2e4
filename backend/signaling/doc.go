// Package signaling is Kurier's SaltyRTC v1 signalling server
// (shared/protocols.md §1; saltyrtc-meta Protocol.md).
//
// Clients connect with a WebSocket to /<64 lowercase hex of the initiator's
// permanent key> using the subprotocol v1.saltyrtc.org. The server performs the
// client↔server handshake (server-hello, client-hello, client-auth,
// server-auth with signed_keys under its permanent key), assigns addresses,
// announces new-responder, new-initiator and disconnected, executes
// drop-responder and relays client↔client frames unchanged, answering
// send-error when the destination is gone. It sends WebSocket pings at the
// interval a client asks for and closes it with 3008 when a pong is late.
//
// TLS is on by default, with a self-signed ECDSA P-256 certificate generated
// into Config.DataDir on first start; clients pin the SaltyRTC server key, and
// Go clients may also pin CertificateSHA256. Limits (message size, paths,
// connections per client address, handshake time) close only the offending
// connection. The server never logs keys, nonces, tokens or payloads: only
// message types and sizes.
//
// Like every Kurier server: New(Config) binds the listener, Run(ctx) serves
// until ctx is cancelled and has shut down every connection when it returns.
package signaling
