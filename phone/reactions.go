package phone

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

// Emoji reactions (E2E 0x82 for 1:1, 0x83 for groups; protocol/e2e
// reaction.go). Every identity that may see a message may react to it, to
// messages of either side, with several emoji; a withdrawal removes one.
// Towards a peer without csp.FeatureReactions, and from one, a thumbs up or
// down travels as the legacy delivery receipt 3 (acknowledged) or 4
// (declined); see e2e.Reaction.LegacyStatus and e2e.LegacyReaction.

// react applies or withdraws identity's emoji on the message with Seq seq
// and reports whether the message's reactions changed. store.ErrLimit when
// the identity already holds store.MaxReactionsPerIdentity emoji there.
func react(ctx context.Context, tx *store.Tx, seq int64, identity, emoji string, withdraw bool, at time.Time) (bool, error) {
	if withdraw {
		return tx.WithdrawReaction(ctx, seq, identity, emoji)
	}
	return tx.ApplyReaction(ctx, seq, identity, emoji, at)
}

// reactLegacy applies the thumb an agree/decline receipt (status 3 or 4)
// stands for as identity's reaction and withdraws identity's opposite thumb
// (bare or with a skin tone): an agree replaces a decline and the other way
// round. It reports whether the message's reactions changed.
func reactLegacy(ctx context.Context, tx *store.Tx, msg store.Message, identity string, status e2e.ReceiptStatus, at time.Time) (bool, error) {
	emoji, ok := e2e.LegacyReaction(status)
	if !ok {
		return false, nil
	}
	changed := false
	for _, r := range msg.Reactions {
		if r.Identity != identity {
			continue
		}
		if st, thumb := (e2e.Reaction{Emoji: r.Emoji}).LegacyStatus(); thumb && st != status {
			gone, err := tx.WithdrawReaction(ctx, msg.Seq, identity, r.Emoji)
			if err != nil {
				return false, err
			}
			changed = changed || gone
		}
	}
	added, err := tx.ApplyReaction(ctx, msg.Seq, identity, emoji, at)
	if errors.Is(err, store.ErrLimit) {
		return changed, nil // the thumb does not fit; the withdrawal stands
	}
	if err != nil {
		return false, err
	}
	return changed || added, nil
}

// reactionEvent queues the event of a changed reaction set, with the message
// read again (its new reactions).
func (p *Phone) reactionEvent(ctx context.Context, tx *store.Tx, v *verdict, seq int64, peer, emoji string, withdraw bool) error {
	msg, err := tx.MessageBySeq(ctx, seq)
	if err != nil {
		return err
	}
	v.events = append(v.events, Event{Kind: EventMessageReaction, Conversation: msg.Conversation, Peer: peer,
		MessageID: msg.MessageID, Message: &msg, Emoji: emoji, Withdraw: withdraw})
	return nil
}

// applyReaction acts on a received reaction of c to a message of
// conversation conv (the 1:1 conversation with c, or a group c is a member
// of: the conversations c may see). A reaction to a message the phone does
// not have, or that was deleted, is dropped, as is one past the per-identity
// bound.
func (p *Phone) applyReaction(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, conv string, r e2e.Reaction, at time.Time) error {
	msg, err := tx.MessageInConversation(ctx, conv, r.MessageID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !msg.DeletedAt.IsZero()) {
		p.reject(v, RejectInvalid, errors.New("reaction to an unknown or deleted message"))
		return nil
	}
	if err != nil {
		return err
	}
	changed, err := react(ctx, tx, msg.Seq, c.ID, r.Emoji, r.Withdraw, at)
	if errors.Is(err, store.ErrLimit) {
		p.reject(v, RejectInvalid, errors.New("too many reactions of one identity to one message"))
		return nil
	}
	if err != nil || !changed {
		return err
	}
	return p.reactionEvent(ctx, tx, v, msg.Seq, c.ID, r.Emoji, r.Withdraw)
}

// applyLegacyReaction records a received agree/decline receipt (status 3
// or 4) of c for msg as c's thumbs up or down.
func (p *Phone) applyLegacyReaction(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, msg store.Message, status e2e.ReceiptStatus, at time.Time) error {
	if !msg.DeletedAt.IsZero() {
		return nil
	}
	changed, err := reactLegacy(ctx, tx, msg, c.ID, status, at)
	if err != nil || !changed {
		return err
	}
	emoji, _ := e2e.LegacyReaction(status)
	return p.reactionEvent(ctx, tx, v, msg.Seq, c.ID, emoji, false)
}

// React applies (withdraw false) or withdraws the own emoji reaction to the
// message with E2E id messageID — of either side — in a conversation: a
// contact's ID or a group's key (store.GroupKey). It stores the reaction
// and sends it, if it changed anything, to the peer or every other group
// member: a Reaction (0x82) or GroupReaction (0x83) to those whose feature
// mask has csp.FeatureReactions, and to the others the legacy receipt of
// e2e.Reaction.LegacyStatus (status 3 for a thumbs up, 4 for a thumbs down;
// nothing for other emoji and for withdrawals). It returns the message with
// its reactions. A message the phone does not have is store.ErrNotFound; a
// deleted one, a distribution list, an invalid emoji or more than
// store.MaxReactionsPerIdentity emoji on one message are ErrInvalid.
func (p *Phone) React(ctx context.Context, conversation string, messageID uint64, emoji string, withdraw bool) (store.Message, error) {
	r := e2e.Reaction{MessageID: messageID, Withdraw: withdraw, Emoji: emoji}
	if _, err := e2e.Encode(r); err != nil {
		return store.Message{}, fmt.Errorf("%w: reaction: %w", ErrInvalid, err)
	}
	var (
		to    []store.Contact
		group *e2e.Group
	)
	if creator, gid, ok := store.ParseGroupKey(conversation); ok {
		g, err := p.memberGroup(ctx, creator, gid)
		if err != nil {
			return store.Message{}, err
		}
		if to, err = p.groupReceivers(ctx, g); err != nil {
			return store.Message{}, err
		}
		cid, err := csp.ParseID(creator)
		if err != nil {
			return store.Message{}, fmt.Errorf("phone: react: %w", err)
		}
		group = &e2e.Group{Creator: cid, ID: gid}
	} else {
		if _, err := csp.ParseID(conversation); err != nil {
			return store.Message{}, fmt.Errorf("%w: reaction in conversation %q", ErrInvalid, conversation)
		}
		c, err := p.sendable(ctx, conversation)
		if err != nil {
			return store.Message{}, err
		}
		to = []store.Contact{c}
	}
	msg, err := p.st.MessageInConversation(ctx, conversation, messageID)
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: react: %w", err)
	}
	if !msg.DeletedAt.IsZero() {
		return store.Message{}, fmt.Errorf("%w: reaction to a deleted message", ErrInvalid)
	}
	changed := false
	err = p.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		changed, err = react(ctx, tx, msg.Seq, p.self.ID, emoji, withdraw, p.opts.now())
		if errors.Is(err, store.ErrLimit) {
			return fmt.Errorf("%w: at most %d reactions per message", ErrInvalid, store.MaxReactionsPerIdentity)
		}
		return err
	})
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: react: %w", err)
	}
	if msg, err = p.st.MessageBySeq(ctx, msg.Seq); err != nil {
		return store.Message{}, fmt.Errorf("phone: react: %w", err)
	}
	if !changed {
		return msg, nil
	}
	if err := p.sendReaction(ctx, to, group, r); err != nil {
		return store.Message{}, err
	}
	p.emit(Event{Kind: EventMessageReaction, Conversation: msg.Conversation, Peer: p.self.ID,
		MessageID: messageID, Message: &msg, Emoji: emoji, Withdraw: withdraw})
	p.log.Info("reaction queued", "conversation", conversation, "message_id", messageID, "withdraw", withdraw,
		"emoji", RedactString("emoji", emoji))
	return msg, nil
}

// sendReaction queues r to the receivers: the reaction to those with
// csp.FeatureReactions, the legacy receipt (if r has one) to the others.
func (p *Phone) sendReaction(ctx context.Context, to []store.Contact, group *e2e.Group, r e2e.Reaction) error {
	var modern, legacy []outMsg
	status, hasLegacy := r.LegacyStatus()
	for _, c := range to {
		switch {
		case c.FeatureMask&csp.FeatureReactions != 0 && group != nil:
			modern = append(modern, outMsg{to: c, msg: e2e.GroupReaction{Group: *group, Reaction: r}})
		case c.FeatureMask&csp.FeatureReactions != 0:
			modern = append(modern, outMsg{to: c, msg: r})
		case hasLegacy && group != nil:
			legacy = append(legacy, outMsg{to: c, msg: e2e.GroupDeliveryReceipt{Group: *group, Status: status, MessageIDs: []uint64{r.MessageID}}})
		case hasLegacy:
			legacy = append(legacy, outMsg{to: c, msg: e2e.DeliveryReceipt{Status: status, MessageIDs: []uint64{r.MessageID}}})
		}
	}
	for _, outs := range [][]outMsg{modern, legacy} {
		if len(outs) == 0 {
			continue
		}
		id, err := p.newMessageID()
		if err != nil {
			return err
		}
		if _, err := p.queue(ctx, id, outs, nil, ""); err != nil {
			return err
		}
	}
	return nil
}
