package phone

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// sendable returns the contact to send user content to: known (or fetched
// from the directory), not revoked, not blocked.
func (p *Phone) sendable(ctx context.Context, to string) (store.Contact, error) {
	c, err := p.ensureContact(ctx, to)
	if err != nil {
		return store.Contact{}, err
	}
	switch {
	case c.State == store.ContactRevoked:
		return store.Contact{}, fmt.Errorf("phone: send to %s: %w", to, ErrRevoked)
	case c.Blocked:
		return store.Contact{}, fmt.Errorf("phone: send to %s: %w", to, ErrBlocked)
	}
	return c, nil
}

// send1to1 queues one piece of user content to one contact and stores it in
// the 1:1 conversation.
func (p *Phone) send1to1(ctx context.Context, to string, m e2e.Message, rec store.Message) (store.Message, error) {
	c, err := p.sendable(ctx, to)
	if err != nil {
		return store.Message{}, err
	}
	if _, err := e2e.Encode(m); err != nil {
		return store.Message{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	id, err := p.newMessageID()
	if err != nil {
		return store.Message{}, err
	}
	rec.Conversation, rec.Type = store.ContactKey(c.ID), m.Type()
	msg, err := p.queue(ctx, id, []outMsg{{to: c, msg: m}}, &rec, store.KindContact)
	if err != nil {
		return store.Message{}, err
	}
	p.log.Info("message queued", "peer", c.ID, "message_id", id, "type", fmt.Sprintf("0x%02x", m.Type()), "body", RedactString("text", rec.Body))
	return msg, nil
}

// SendText sends a text (1..6000 bytes) to a contact and returns the stored
// message (state sending; sent once the server acknowledges it).
func (p *Phone) SendText(ctx context.Context, to, text string) (store.Message, error) {
	return p.send1to1(ctx, to, e2e.Text{Text: text}, store.Message{Body: text})
}

// SendLocation sends a location to a contact.
func (p *Phone) SendLocation(ctx context.Context, to string, loc e2e.Location) (store.Message, error) {
	extra, err := json.Marshal(loc)
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: location: %w", err)
	}
	return p.send1to1(ctx, to, loc, store.Message{Body: locationText(loc), Extra: string(extra)})
}

// locationText is a location as a conversation shows it.
func locationText(l e2e.Location) string {
	s := strconv.FormatFloat(l.Latitude, 'f', -1, 64) + "," + strconv.FormatFloat(l.Longitude, 'f', -1, 64)
	if l.Name != "" {
		s += " " + l.Name
	}
	if l.Address != "" {
		s += " " + l.Address
	}
	return s
}

// SendReceipt sends a delivery receipt (received, read, acknowledged,
// declined) for incoming 1:1 messages of peer, and records read, ack and
// decline locally (an ack or decline as the own thumbs up or down; React
// is the way to react that also reaches peers with csp.FeatureReactions).
func (p *Phone) SendReceipt(ctx context.Context, peer string, status e2e.ReceiptStatus, messageIDs ...uint64) error {
	if !status.Valid() || len(messageIDs) == 0 {
		return fmt.Errorf("%w: receipt", ErrInvalid)
	}
	c, err := p.ensureContact(ctx, peer)
	if err != nil {
		return err
	}
	var changed []store.Message
	err = p.st.InTx(ctx, func(tx *store.Tx) error {
		for _, id := range messageIDs {
			m, err := tx.Message(ctx, store.ContactKey(peer), peer, id)
			if err != nil {
				return fmt.Errorf("%w: message %d of %s", ErrInvalid, id, peer)
			}
			switch status {
			case e2e.ReceiptRead:
				if _, err := tx.SetMessageState(ctx, m.Seq, store.StateRead, p.opts.now()); err != nil {
					return err
				}
			case e2e.ReceiptAcknowledged, e2e.ReceiptDeclined:
				if err := tx.SetUserAck(ctx, m.Seq, int(status)); err != nil {
					return err
				}
				// The receipt is the own thumbs up or down, too.
				if _, err := reactLegacy(ctx, tx, m, p.self.ID, status, p.opts.now()); err != nil {
					return err
				}
			}
			if m, err = tx.MessageBySeq(ctx, m.Seq); err != nil {
				return err
			}
			changed = append(changed, m)
		}
		if status == e2e.ReceiptRead {
			return tx.MarkConversationRead(ctx, store.ContactKey(peer))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("phone: receipt: %w", err)
	}
	for start := 0; start < len(messageIDs); start += e2e.MaxReceiptIDs {
		ids := messageIDs[start:min(start+e2e.MaxReceiptIDs, len(messageIDs))]
		if err := p.sendControl(ctx, c, e2e.DeliveryReceipt{Status: status, MessageIDs: ids}); err != nil {
			return err
		}
	}
	for i := range changed {
		p.emit(Event{Kind: EventMessageState, Conversation: changed[i].Conversation, Peer: peer,
			MessageID: changed[i].MessageID, Message: &changed[i], State: changed[i].State, UserAck: changed[i].UserAck})
	}
	return nil
}

// MarkRead sends a read receipt for incoming messages of peer.
func (p *Phone) MarkRead(ctx context.Context, peer string, messageIDs ...uint64) error {
	return p.SendReceipt(ctx, peer, e2e.ReceiptRead, messageIDs...)
}

// SendTyping tells a contact that the user types (or stopped). It is sent
// only while connected (no queuing, no ack).
func (p *Phone) SendTyping(ctx context.Context, to string, typing bool) error {
	c, err := p.sendable(ctx, to)
	if err != nil {
		return err
	}
	return p.sendLive(ctx, c, e2e.TypingIndicator{Typing: typing})
}
