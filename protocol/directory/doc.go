// Package directory is the wire format of Kurier's directory: the
// JSON-over-HTTP API of shared/protocols.md §4 (Threema's directory API)
// as both ends speak it. It holds the request and response bodies, the
// identity as the directory publishes it (states and types), well-formed
// IDs, the contact-matching hashes, the challenge response that proves
// possession of an identity's key, and the errorType values with their
// sentinel errors.
//
// It does no I/O and has no policy: the server is backend/directory, the
// HTTP client backend/directory/client. Both, the chat server and the
// virtual phone share these types, so that a client does not link the
// server.
package directory
