// Package webclient is the phone side of desktop pairing
// (shared/protocols.md §1.8, §2): the virtual phone acts as the SaltyRTC
// responder with the WebRTC task, accepts the data channel labelled
// THREEMA and speaks the Threema Web protocol v2 (the codec of
// protocol/webclient) as the app.
//
// A Server serves one phone. Pair decodes a pairing QR code, checks that it
// names the phone's own signaling server, connects and stores the session
// (desktop_sessions); Reconnect reconnects a permanent session in
// trusted-key mode, without a token. One desktop session is active at a
// time: a new one closes the old. Sessions lists and Revoke deletes them.
//
// Each active session has two goroutines, both owned by the Server and
// waited for by Close: a reader that feeds received messages to a channel,
// and one loop that answers requests and pushes the phone's events
// (update/messages, update/typing, update/receiver, update/conversation)
// in order. A message that cannot be decoded gets a badRequest reply (or,
// when it has no usable envelope, is dropped and logged by kind and length);
// a valid but unimplemented request gets internalError.
//
// KeepConnected (keepalive.go) keeps the phone available to its permanent
// desktops: it reconnects the most recently seen one whenever no session is
// active. connectionAck and resume (§2.3) are in outcache.go (the
// unacknowledged messages), feed.go (the phone's events, kept while a
// dropped connection is parked) and resume.go; docs/phone.md has the exact
// rules.
//
// Handlers live in one file per message family: handlers_lists.go
// (receivers, conversations, messages), handlers_send.go (text, read),
// handlers_files.go (file messages, thumbnails, blobs, avatars),
// handlers_message.go (ack, delete), handlers_contacts.go,
// handlers_groups.go and handlers_distlists.go. The phone emits no event
// when it queues its own message (control API, bots), so the session
// pushes an outgoing message it has not shown yet as new at its first
// state change (the server's ack).
//
// The connection id of §2.3 is the Box of nothing under the peers' session
// shared key (rtclink.Session.SessionSharedKey); the desktop's must match it,
// or be the protocol's "not implemented" placeholder.
//
// Logs never carry keys, tokens, QR payloads or message text.
package webclient
