// Package webclient is the codec of the Threema Web protocol v2 (Kurier's
// shared/protocols.md §2; WEB src/services/webclient.ts, src/threema.d.ts;
// AND webclient/Protocol.java), the app-level protocol that the desktop (the
// web side, package app) and the virtual phone (the app side, package phone)
// speak over the SaltyRTC data channel labelled THREEMA. It encodes, decodes
// and validates; it owns no sockets and no storage.
//
// Every message is one msgpack map, the envelope of §2.2 (WireMessage):
//
//	{type, subType, id?, ack?: {id, success, error?}, args?, data?}
//
// with type one of request, response, update, create, delete. A request
// that needs a reply carries a random 6-character id, answered by ack.id;
// the older correlation args.temporaryId with args.success/args.error is read
// too (ResultOf) and written by Reply when the request used it. Failures use
// the error strings of §2.2 (ErrorCode), converted to sentinels with
// CodeToError and back with ErrorToCode.
//
// Decoding is strict: exactly one map, string keys without duplicates, no
// extension types, every declared length checked against the bytes left
// before allocation, nesting at most MaxDepth, at most MaxMessageSize bytes.
// Decode checks only the envelope; a typed decoder (Decode<Name>) then
// checks one message kind's args and data — types, ranges, receiver
// addressing (Receiver) and the byte limits of §2.4. Lookup, DecodeFromWeb
// and DecodeFromApp dispatch on (type, subType) through the §2.4 catalogue.
// Constructors (New<Name>) build the WireMessage for each kind; Encode
// serialises it with sorted keys, so the bytes are deterministic.
//
// Session setup (§2.3): the first message each way is update/connectionInfo
// with the connection id, the Box of an empty plaintext under the session's
// shared key and the fixed nonce "connectionidconnectionid" (ConnectionID);
// CanResume applies the resume rule; update/connectionAck carries the
// relayed-data task's sequence numbers, and update/connectionDisconnect ends
// a session with a reason.
//
// Errors never contain message text, names or keys: only field names,
// lengths and kinds.
package webclient
