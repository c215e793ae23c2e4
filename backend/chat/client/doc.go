// Package client is the Chat Server Protocol client that the virtual phone
// and the tests share: it dials the chat server, runs the §3.2 login with
// extensions (message payload version 1 by default), sends messages and waits
// for their server acks, hands incoming messages to a channel, acks them,
// keeps the connection alive with echo requests, and reconnects with a
// back-off (2..10 s by default), resending every unacknowledged outgoing
// message in its original order. The server stores a message once however
// often it is resent.
//
// A close-error from the server ends the client when it may not reconnect
// (takeover by another login of the same identity, unknown or revoked
// identity, legacy login) and is reported as a *CloseError; errors.Is(err,
// ErrTakenOver) tells a takeover apart.
//
// Every goroutine belongs to the Client and is stopped and waited for by
// Close: one that manages the connection and its reconnects, and one reader
// per live connection.
package client
