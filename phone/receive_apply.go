package phone

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// createdAt is the authenticated creation time of a message, or the
// envelope's when the sender left it out.
func createdAt(v *verdict, md e2e.Metadata) time.Time {
	if !md.CreatedAt.IsZero() {
		return md.CreatedAt
	}
	return time.Unix(int64(v.env.CreatedAt), 0).UTC()
}

// storeIncoming adds an incoming message to a conversation and queues its event.
func (p *Phone) storeIncoming(ctx context.Context, tx *store.Tx, v *verdict, kind store.ConversationKind, m store.Message) error {
	m.Sender, m.MessageID, m.State, m.ReceivedAt = v.env.Sender.String(), v.env.MessageID, store.StateReceived, p.opts.now()
	seq, err := tx.AddMessage(ctx, kind, m)
	if errors.Is(err, store.ErrExists) {
		p.reject(v, RejectDuplicate, nil)
		return nil
	}
	if err != nil {
		return err
	}
	m.Seq = seq
	v.events = append(v.events, Event{Kind: EventMessage, Conversation: m.Conversation, Peer: m.Sender, MessageID: m.MessageID, Message: &m})
	return nil
}

// apply acts on one accepted message inside the batch's transaction.
func (p *Phone) apply(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, m e2e.Message, md e2e.Metadata) error {
	at := createdAt(v, md)
	conv := store.ContactKey(c.ID)
	v.receipt = e2e.WantsAutoReceipt(m, v.env.Flags)
	switch m := m.(type) {
	case e2e.Text:
		return p.storeIncoming(ctx, tx, v, store.KindContact, store.Message{Conversation: conv, Type: m.Type(), Body: m.Text, CreatedAt: at})
	case e2e.Location:
		extra, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return p.storeIncoming(ctx, tx, v, store.KindContact, store.Message{Conversation: conv, Type: m.Type(),
			Body: locationText(m), Extra: string(extra), CreatedAt: at})
	case e2e.File:
		extra, err := json.Marshal(fileInfoOf(m))
		if err != nil {
			return err
		}
		return p.storeIncoming(ctx, tx, v, store.KindContact, store.Message{Conversation: conv, Type: m.Type(),
			Body: m.Caption, Extra: string(extra), CreatedAt: at})
	case e2e.DeliveryReceipt:
		return p.applyReceipt(ctx, tx, c, v, m, at)
	case e2e.Reaction:
		return p.applyReaction(ctx, tx, c, v, conv, m, at)
	case e2e.TypingIndicator:
		v.events = append(v.events, Event{Kind: EventTyping, Conversation: conv, Peer: c.ID, Typing: m.Typing})
		return nil
	case e2e.EditMessage:
		return p.applyEdit(ctx, tx, c, v, conv, m.MessageID, &m.Text)
	case e2e.DeleteMessage:
		return p.applyEdit(ctx, tx, c, v, conv, m.MessageID, nil)
	case e2e.SetProfilePicture:
		p.receiveAvatar(v, c.ID, conv, m)
		return nil
	case e2e.DeleteProfilePicture:
		return p.dropAvatar(ctx, tx, v, conv)
	case e2e.GroupSetPhoto, e2e.GroupDeletePhoto:
		return p.applyGroupPhoto(ctx, tx, c, v, m)
	}
	return p.applyGroup(ctx, tx, c, v, m, at)
}

// applyReceipt moves own 1:1 messages to delivered or read, or records a
// user's acknowledge/decline, which is also the peer's thumbs up/down.
func (p *Phone) applyReceipt(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, r e2e.DeliveryReceipt, at time.Time) error {
	for _, id := range r.MessageIDs {
		msg, err := tx.Message(ctx, store.ContactKey(c.ID), p.self.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // a receipt for a control message, or one deleted
		}
		if err != nil {
			return err
		}
		changed := true
		switch r.Status {
		case e2e.ReceiptReceived:
			changed, err = tx.SetMessageState(ctx, msg.Seq, store.StateDelivered, p.opts.now())
		case e2e.ReceiptRead:
			changed, err = tx.SetMessageState(ctx, msg.Seq, store.StateRead, p.opts.now())
		default:
			err = tx.SetUserAck(ctx, msg.Seq, int(r.Status))
			if err == nil {
				err = p.applyLegacyReaction(ctx, tx, c, v, msg, r.Status, at)
			}
		}
		if err != nil {
			return err
		}
		if !changed {
			continue
		}
		if msg, err = tx.MessageBySeq(ctx, msg.Seq); err != nil {
			return err
		}
		v.events = append(v.events, Event{Kind: EventMessageState, Conversation: msg.Conversation, Peer: c.ID,
			MessageID: id, Message: &msg, State: msg.State, UserAck: msg.UserAck})
	}
	return nil
}
