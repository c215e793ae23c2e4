// Package client is the Go client of Kurier's directory server
// (backend/directory, shared/protocols.md §4), used by the virtual phone, the
// chat server when it runs on its own, and the tests. It speaks the wire
// format of protocol/directory and does not link the server.
//
// Client implements directory.Lookup. Identity creation and the
// authenticated calls answer the server's challenge with the BLAKE2b response
// of §4 (directory.TokenResponse), computed from the identity's key pair,
// which never leaves the process.
package client
