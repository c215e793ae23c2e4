// Package store is the virtual phone's SQLite database: the only code of the
// phone that touches database/sql.
//
// The schema lives in numbered, embedded migrations (migrations/NNNN_name.sql)
// applied by Open through internal/sqlitedb. Each entity has its own file:
// identity.go, contacts.go, conversations.go, messages.go, nonces.go
// (which makes the store an e2e.NonceStore), incoming.go (deduplication
// records), groups.go, lists.go and outbox.go.
//
// Every method exists on both *Store (one statement, or its own
// transaction) and *Tx (inside a transaction opened with Begin), through the
// embedded Ops: the phone writes an incoming message, its nonce and its dedup
// record in one Tx, and an outgoing message, its nonce and its outbox entry in
// another. Not-found is ErrNotFound, never a nil result.
//
// Identities are 8-character strings, u64 message and group ids are stored as
// their two's-complement int64, and times are unix milliseconds.
package store
