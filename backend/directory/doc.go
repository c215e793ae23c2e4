// Package directory is Kurier's directory server: the registry of identities
// (8-character IDs bound to an X25519 public key) that phones and the chat
// server consult, speaking Threema's directory JSON-over-HTTP API
// (shared/protocols.md §4) byte for byte. The wire format itself (bodies,
// identity states, IDs, hashes, the challenge response, errorTypes and their
// sentinel errors) is package protocol/directory, imported here as wire, so
// that clients speak it without linking the server.
//
// Identity creation proves possession of the private key: phase 1 hands out a
// single-use token and the server's challenge key (tokenRespKeyPub), phase 2
// must answer with the BLAKE2b response of §4
//
//	BLAKE2b-256(key = BLAKE2b-256(key = X25519HSalsa20(CK.sec, tokenRespKeyPub),
//	                              salt = "dir", personal = "3ma-csp"),
//	            input = token)
//
// The legacy response (a NaCl box of the token plus a nonce field) is refused:
// it is the raw-box signing oracle behind the cross-protocol attacks of §6.
// Authenticated calls (feature mask, e-mail and phone links, revocation) use
// the same challenge–response, keyed by the identity's registered key.
//
// Registering a public key that is already registered is refused with
// errorType "keyInUse"; the phone keeps its ID, so a second registration of
// the same key can only be a mistake or an attempt to mint aliases.
//
// Contact matching works on HMAC-SHA256 hashes (wire.HashEmail,
// wire.HashPhone): match requests carry only hashes, and
// link_email/link_mobileno, which receive the plaintext as Threema's API
// sends it, hash it at once and store only the hashes, never the address or
// number, and never log either. This is a QA backend: linking takes effect
// at once, where a production directory would first send a verification
// mail or SMS.
//
// Status codes: 200 for answers, and also for the refusals of create and the
// authenticated calls (bad proof, spent token, reserved or registered key,
// revoked identity), which carry {success:false, error, errorType} because
// Threema clients read the reason from the body; 400 for a body that does not
// parse or validate, 404 for an unknown identity or endpoint, 413 for a body
// above 1 MiB or a batch above 1000 entries, 429 with Retry-After when rate
// limited, 503 with Retry-After when too many challenges are pending. Every
// failure body is {success:false, error, errorType}.
//
// Every endpoint is rate-limited per client IP (429 with Retry-After);
// lookups and contact matching have their own, stricter budget because they
// are the enumeration targets, and identity/match is further charged one
// token per submitted hash.
//
// State lives behind one seam (store.go): by default SQLite (directory.db
// in Config.DataDir), with the rate-limit buckets and the challenge tokens
// in memory. With Config.Database, a postgres:// URL, everything lives in
// PostgreSQL instead (store_postgres.go, migrations/postgres), so that
// several directory nodes on one database behind a load balancer serve one
// directory: an identity registered or linked through one node is read
// through every other; a challenge issued by one node may be answered on
// another, once (the nodes share ChallengeKey); and each client address
// has one token bucket per budget for all nodes, charged atomically in one
// statement (ratelimit_postgres.go), so that spreading requests over three
// nodes does not triple the enumeration budget. Every node sweeps the
// refilled buckets and the expired tokens once a minute. The nodes' clocks
// are assumed in step (NTP).
package directory
