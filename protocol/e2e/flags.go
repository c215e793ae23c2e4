package e2e

import "github.com/kurier/kurier/protocol/csp"

// SendFlags returns the envelope flags a message of m's type is sent with
// (§3.4, §3.5), as the Threema apps do:
//
//   - user content (text, location, file, and their group forms), edits,
//     deletes, reactions, group-setup and group-name: FlagPush;
//   - typing indicators: FlagNoQueuing | FlagNoAck (dropped if the peer is
//     offline, and not worth an ack);
//   - receipts, profile pictures, group-leave and group-sync-request: none.
//
// FlagNoDeliveryReceipts is never set: the apps decide per type whether a
// message gets an automatic receipt (WantsAutoReceipt); the flag is for
// Gateway IDs that want none (Android AbstractMessage.flagNoDeliveryReceipts).
func SendFlags(m Message) csp.Flags {
	if m == nil {
		return 0
	}
	switch m.Type() {
	case TypeText, TypeLocation, TypeFile, TypeEditMessage, TypeDeleteMessage,
		TypeGroupEditMessage, TypeGroupDeleteMessage, TypeReaction, TypeGroupReaction,
		TypeGroupText, TypeGroupLocation, TypeGroupFile, TypeGroupSetup, TypeGroupName:
		return csp.FlagPush
	case TypeTypingIndicator:
		return csp.FlagNoQueuing | csp.FlagNoAck
	}
	return 0
}

// WantsAutoReceipt reports whether the receiver of m, sent with flags, must
// answer with an automatic delivery receipt (status ReceiptReceived) after
// storing it (§3.4 receiver duties). It is true only for 1:1 user content —
// text, location, file — without FlagNoDeliveryReceipts. Group messages,
// receipts, typing indicators and the other control messages (edit, delete,
// reactions, profile pictures) never get one (Android's per-type
// sendAutomaticDeliveryReceipt is false for them). The CSP-level ack (0x82) is a separate
// duty: send it unless flags has FlagNoAck.
func WantsAutoReceipt(m Message, flags csp.Flags) bool {
	if m == nil || flags.Has(csp.FlagNoDeliveryReceipts) {
		return false
	}
	switch m.Type() {
	case TypeText, TypeLocation, TypeFile:
		return true
	}
	return false
}
