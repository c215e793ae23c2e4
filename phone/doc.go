// Package phone is Kurier's virtual phone: the phone app's logic without a
// screen. It owns the identity key pair, the contacts, the conversations and
// the groups, and speaks the Chat Server Protocol and the end-to-end
// messages of shared/protocols.md §3.4–3.6 with the backend.
//
// # Life cycle
//
// Init creates an identity in a data directory (key pair, directory
// registration with proof of possession, feature mask) and ImportBackup
// restores one from a password-protected backup (ExportBackup). Open opens
// an initialized directory; Run connects to the chat server (and refreshes
// the contacts' directory state once) and serves until its context ends;
// Close closes the database.
//
// # Durability
//
// Sending seals the message, then stores it with its nonce and its encoded
// envelope in the outbox, in one transaction, before anything leaves the
// phone; the chat server's ack removes the outbox entry and marks the
// message sent. A restart resends the remaining entries byte for byte, so the
// server deduplicates them. Receiving follows the receiver steps of
// protocol/e2e's package documentation: sender lookup (revoked and blocked
// senders dropped), nonce check against every nonce sent or accepted
// (replay and reflection), Open (receiver = self, sender ≠ self, metadata id
// = header id), deduplication by (sender, message id), then nonce, dedup
// record and message in one transaction — a batch of queued messages shares
// one — and only then the CSP ack and the automatic delivery receipt.
// Every rejected message is logged with its reason (the Reject* constants)
// and announced as an EventRejected; no log line carries a key, a nonce, a
// password or message text (see Redact).
//
// # Concurrency
//
// One goroutine receives (Run's); the outbox has one sender goroutine per
// receiver with pending entries, so messages to one peer keep their order.
// All are owned by Run and waited for before it returns. Subscribe
// delivers Events (messages, receipts, typing, contacts, groups,
// rejections) for the control API and the desktop link (phone/webclient).
package phone
