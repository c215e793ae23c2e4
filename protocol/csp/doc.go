// Package csp is the codec of Threema's Chat Server Protocol as Kurier speaks
// it (shared/protocols.md §3): the login handshake, the transport nonces, the
// frames and payload container, every payload type and the message envelope.
//
// It does no I/O policy: it encodes, decodes, seals, opens and validates.
// The chat server (backend/chat) and the CSP client (backend/chat/client) own
// the sockets, the timeouts and the storage.
//
// # Handshake (§3.2)
//
//	client-hello C→S  48 B  TCK.pub ‖ CCK
//	server-hello S→C  80 B  SCK ‖ Box[SK.sec, TCK.pub; SCK‖1](TSK.pub ‖ CCK)
//	login        C→S 144 B  Box[TCK.sec, TSK.pub; CCK‖1](login-data) ‖ optional Box[…; CCK‖2](extensions)
//	login-ack    S→C  32 B  Box[TSK.sec, TCK.pub; SCK‖2](16 zero bytes)
//
// ClientHandshake and ServerHandshake drive the two sides; both end with a
// Session that seals and opens the frames that follow, continuing the same
// nonce counters (client CSN 2 or 3, server SSN 3).
//
// Only the BLAKE2b vouch of 2023 is accepted:
//
//	VouchKey = BLAKE2b-256(key = SS1 ‖ SS2, salt "v2", personal "3ma-csp")
//	vouch    = BLAKE2b-256(key = VouchKey, input = SCK ‖ TCK.pub)
//
// with SS1 = X25519HSalsa20(CK.sec, SK.pub) and SS2 = X25519HSalsa20(CK.sec,
// TSK.pub). The legacy vouch box (non-zero bytes 56..79 of the login data) is
// recognised and refused with ErrLegacyVouch: it is the key-compromise
// impersonation and cross-protocol weakness of §6.
//
// # Frames and payloads (§3.3, §3.4)
//
// A frame is u16-le length ‖ Box(container); a container is type ‖ 3 zero
// bytes ‖ data; the box of one frame is at most MaxFrameLen bytes. Every
// payload type of the table has a Go type implementing Payload, an exported
// Decode function and an encoder (AppendContainer). The message envelope of
// payloads 0x01/0x02 is Envelope; its end-to-end box is opaque bytes here.
//
// Decoders are strict: lengths, reserved bytes, identities and enum values are
// checked, and every failure wraps one of the sentinel errors of errors.go.
// Decoded byte slices alias the input unless a comment says otherwise.
package csp
