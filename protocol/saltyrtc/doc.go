// Package saltyrtc implements the SaltyRTC v1 signalling protocol
// (saltyrtc-meta Protocol.md; Kurier's shared/protocols.md §1) without any I/O:
//
//   - the 24-byte nonce header (cookie, source, destination, overflow,
//     sequence) and the per-peer cookie and combined-sequence-number rules of
//     §1.3 (Nonce, ParseFrame, CSNTracker, OutgoingCSN);
//   - strict msgpack encoding and decoding of every message of §1.4–1.7
//     (Encode, Decode, and one Go type per message);
//   - the close codes of §1.7 with CloseCodeToError / ErrorToCloseCode;
//   - a pure client state machine for both roles (Client): frames in,
//     frames and events out, time injected. It performs the server handshake
//     (signed_keys checked against a pinned server key), the peer handshake
//     (token, key, auth with task negotiation, trusted-key mode) and then
//     carries application, close and task messages.
//
// The signalling server (backend/signaling) and the WebSocket client
// (rtclink) own the sockets and use this package for every byte.
package saltyrtc
