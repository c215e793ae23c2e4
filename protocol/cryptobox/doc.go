// Package cryptobox wraps the NaCl primitives every Kurier protocol uses, with
// distinct types for keys and nonces and randomness injected as an io.Reader:
//
//   - Box: X25519, HSalsa20, XSalsa20-Poly1305 (golang.org/x/crypto/nacl/box),
//     with precomputed shared keys so a peer costs one X25519, not one per message;
//   - Secretbox: XSalsa20-Poly1305 with a 32-byte key (nacl/secretbox);
//   - BLAKE2b with key, salt and personalisation, as libsodium's
//     crypto_generichash_blake2b_salt_personal, which Threema's key derivation
//     needs and golang.org/x/crypto/blake2b does not offer (see blake2b.go).
//
// It does no I/O and keeps no state; nonce bookkeeping belongs to each
// protocol (SaltyRTC sequence numbers, CSP counters, E2E nonce stores).
package cryptobox
