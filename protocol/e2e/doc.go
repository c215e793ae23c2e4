// Package e2e is the codec of Kurier's end-to-end messages, the boxes that
// travel inside CSP message envelopes (shared/protocols.md §3.4, §3.5): the
// typed messages, the padded container, the metadata box, and the sealing
// and opening of one message between two identities. Like the rest of
// protocol/, it encodes, decodes, seals, opens and validates; sockets,
// storage and policy belong to the phone.
//
// # Layers
//
//	envelope (csp.Envelope)  sender ‖ receiver ‖ message id ‖ created-at ‖ flags ‖ … ‖ metadata box ‖ nonce ‖ message box
//	metadata box             Secretbox[MMK; nonce](MessageMetadata{padding, nickname, message_id, created_at ms})
//	message box              Box[K; nonce](type u8 ‖ inner ‖ PKCS#7-style padding, ≥ 32 bytes)
//
// K = X25519HSalsa20(self.sec, peer.pub) and MMK = BLAKE2b-256(key = K,
// salt "mm", personal "3ma-csp") are derived once per peer (NewPeerKeys) and
// cached by the phone. Seal draws one random nonce for both boxes.
// ToEnvelope and FromEnvelope convert to and from protocol/csp's Envelope.
//
// # Messages
//
// Each supported type byte has one Go type implementing Message: Text,
// Location, File, SetProfilePicture, DeleteProfilePicture, DeliveryReceipt,
// TypingIndicator, EditMessage, DeleteMessage, Reaction, and the group
// family GroupSetup, GroupName, GroupLeave, GroupSyncRequest, GroupSetPhoto,
// GroupDeletePhoto, GroupText, GroupLocation, GroupFile,
// GroupDeliveryReceipt, GroupReaction. Decode dispatches on the type byte
// through one table; any other type (unknown, deprecated, or not
// implemented: polls, calls, group edit/delete, forward security,
// request-profile-picture…)
// yields an *UnsupportedTypeError carrying the byte, which matches
// ErrUnsupportedType. Decoders are strict — exact lengths, no trailing
// bytes, valid UTF-8, bounded lists, checked ranges — and a decoded message
// never aliases its input. Errors name fields and lengths, never content or
// keys.
//
// SendFlags gives the flags each type is sent with, WantsAutoReceipt whether
// a received message calls for an automatic delivery receipt, IsGroup and
// GroupOf identify group messages (a group is (creator, group id)).
//
// # What Open checks, and what the caller must still do
//
// Open does every check that needs no state: receiver = self, sender ≠ self,
// sender = the peer of the keys, both boxes authentic, metadata message id =
// header message id, padding and message valid. The receiver duties of §3.4
// that need state are the caller's, in this order, for each incoming
// envelope (payload 0x02):
//
//  1. Sender lookup: an unknown sender's public key comes from the
//     directory; a sender the directory marks revoked or invalid is
//     dropped (and acked). Then NewPeerKeys, cached per peer.
//  2. Replay and reflection: CheckNonce against the NonceStore. The store
//     holds every nonce the phone has accepted *and every nonce it has sent*
//     (Seal's Sealed.Nonce, recorded with AddNonce before the envelope
//     leaves): K is the same in both directions, so one of our own messages
//     with its header rewritten (sender and receiver swapped) passes every
//     stateless check and only the outgoing nonce in the store exposes it
//     (§6 #4). A persistent store also defeats replays after a restart.
//  3. Open.
//  4. Deduplication by (sender, message id): a duplicate is acked and
//     dropped, not shown twice.
//  5. In one transaction: AddNonce, the dedup record and the message. Only
//     then the CSP ack (0x82, unless FlagNoAck), then the automatic
//     delivery receipt if WantsAutoReceipt. A crash before the commit makes
//     the server redeliver; after it, the nonce and dedup records catch the
//     redelivery.
//
// A message that Open authenticates but cannot decode (an
// *UnsupportedTypeError or a malformed body) still comes with its Metadata:
// record its nonce and ack it, log the type byte, and drop it. Group
// messages also need the membership checks of the group layer (the sender
// is a member, creator-only messages come from the creator), which are not
// this package's.
//
// For sending: set MessageID at random per (sender, receiver) pair — the
// same id for every member of a group send —, Seal, AddNonce, ToEnvelope,
// then hand the envelope to the CSP connection.
package e2e
