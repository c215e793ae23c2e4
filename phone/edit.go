package phone

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

// EditWindow is how long after sending the user may still edit a message or
// delete it for everyone: 6 hours, as the Threema apps allow
// (threema-android EditMessage.EDIT_MESSAGES_MAX_AGE and
// DeleteMessage.DELETE_MESSAGES_MAX_AGE). As there, the user's side checks
// it (the desktop's requests, phone/webclient), not EditMessage and
// DeleteMessage; a receiver applies an edit or deletion of any age, as the
// Threema apps do.
const EditWindow = 6 * time.Hour

// Editable reports whether a message of type t has a text an edit can
// replace: a text or a file's caption, 1:1 or in a group (Threema's
// canBeEdited: text and file messages).
func Editable(t byte) bool {
	switch t {
	case e2e.TypeText, e2e.TypeFile, e2e.TypeGroupText, e2e.TypeGroupFile:
		return true
	}
	return false
}

// change is what an edit or a delete for everyone acts on: the own message
// and the receivers of the change.
type change struct {
	msg   store.Message
	to    []store.Contact
	group *e2e.Group // nil in a 1:1 conversation
}

// ownChange finds the user's own message messageID in a conversation (a
// contact's ID or a group's key, store.GroupKey) and who gets the change:
// the contact, or the other group members whose feature mask has feature.
// It fails with ErrFeatureUnsupported when the contact, or every other
// member, lacks feature (nothing changed); with store.ErrNotFound for a
// message that is not the user's own; and with ErrInvalid for a deleted one.
func (p *Phone) ownChange(ctx context.Context, conversation string, messageID uint64, feature uint64) (change, error) {
	var ch change
	if creator, gid, ok := store.ParseGroupKey(conversation); ok {
		g, err := p.memberGroup(ctx, creator, gid)
		if err != nil {
			return change{}, err
		}
		members, err := p.groupReceivers(ctx, g)
		if err != nil {
			return change{}, err
		}
		for _, c := range members {
			if c.FeatureMask&feature != 0 {
				ch.to = append(ch.to, c)
			}
		}
		if len(members) > 0 && len(ch.to) == 0 {
			return change{}, fmt.Errorf("phone: no member of the group takes it: %w", ErrFeatureUnsupported)
		}
		cid, err := csp.ParseID(creator)
		if err != nil {
			return change{}, fmt.Errorf("phone: group creator: %w", err)
		}
		ch.group = &e2e.Group{Creator: cid, ID: gid}
	} else {
		if _, err := csp.ParseID(conversation); err != nil {
			return change{}, fmt.Errorf("%w: conversation %q", ErrInvalid, conversation)
		}
		c, err := p.sendable(ctx, conversation)
		if err != nil {
			return change{}, err
		}
		if c.FeatureMask&feature == 0 {
			return change{}, fmt.Errorf("phone: %s: %w", c.ID, ErrFeatureUnsupported)
		}
		ch.to = []store.Contact{c}
	}
	m, err := p.st.Message(ctx, conversation, p.self.ID, messageID)
	if err != nil {
		return change{}, fmt.Errorf("phone: own message %d: %w", messageID, err)
	}
	if !m.DeletedAt.IsZero() {
		return change{}, fmt.Errorf("%w: the message is deleted", ErrInvalid)
	}
	ch.msg = m
	return ch, nil
}

// send queues the change to its receivers with one message id: m1 to a
// contact, mg (built for the group) to group members.
func (p *Phone) sendChange(ctx context.Context, ch change, m1 e2e.Message, mg func(e2e.Group) e2e.Message) error {
	if len(ch.to) == 0 {
		return nil
	}
	m := m1
	if ch.group != nil {
		m = mg(*ch.group)
	}
	outs := make([]outMsg, len(ch.to))
	for i, c := range ch.to {
		outs[i] = outMsg{to: c, msg: m}
	}
	id, err := p.newMessageID()
	if err != nil {
		return err
	}
	_, err = p.queue(ctx, id, outs, nil, "")
	return err
}

// EditMessage replaces the text of the user's own text, or the caption of
// an own file, in a conversation: a contact's ID or a group's key
// (store.GroupKey). The contact gets an EditMessage (0x91) if its feature
// mask has csp.FeatureEditMessage (0x100), else nothing changes and the
// error is ErrFeatureUnsupported. In a group the members with that bit get
// a GroupEditMessage (0x93), one message id for all, and the others
// nothing: their apps keep the original text, as with the Threema apps; it
// is ErrFeatureUnsupported only when no other member has the bit. A text
// cannot become empty or blank (ErrInvalid); a location has no text
// (ErrInvalid). The message must be the user's own (else store.ErrNotFound)
// and not deleted.
func (p *Phone) EditMessage(ctx context.Context, conversation string, messageID uint64, text string) (store.Message, error) {
	ch, err := p.ownChange(ctx, conversation, messageID, csp.FeatureEditMessage)
	if err != nil {
		return store.Message{}, err
	}
	edit := e2e.EditMessage{MessageID: messageID, Text: text}
	if _, err := e2e.Encode(edit); err != nil {
		return store.Message{}, fmt.Errorf("%w: edit: %w", ErrInvalid, err)
	}
	switch {
	case !Editable(ch.msg.Type):
		return store.Message{}, fmt.Errorf("%w: a message of type 0x%02x has no text to edit", ErrInvalid, ch.msg.Type)
	case (ch.msg.Type == e2e.TypeText || ch.msg.Type == e2e.TypeGroupText) && strings.TrimSpace(text) == "":
		return store.Message{}, fmt.Errorf("%w: a text cannot be edited to nothing", ErrInvalid)
	}
	if err := p.st.EditMessage(ctx, ch.msg.Seq, text, p.opts.now()); err != nil {
		return store.Message{}, err
	}
	err = p.sendChange(ctx, ch, edit, func(g e2e.Group) e2e.Message { return e2e.GroupEditMessage{Group: g, Edit: edit} })
	if err != nil {
		return store.Message{}, err
	}
	p.log.Info("edit queued", "conversation", conversation, "message_id", messageID, "receivers", len(ch.to),
		"body", RedactString("text", text))
	return p.st.MessageBySeq(ctx, ch.msg.Seq)
}

// DeleteMessage deletes the user's own message in a conversation (a
// contact's ID or a group's key) for everyone: a DeleteMessage (0x92) to
// the contact, a GroupDeleteMessage (0x94) to the group members, with the
// rules of EditMessage and csp.FeatureDeleteMessage (0x200).
func (p *Phone) DeleteMessage(ctx context.Context, conversation string, messageID uint64) error {
	ch, err := p.ownChange(ctx, conversation, messageID, csp.FeatureDeleteMessage)
	if err != nil {
		return err
	}
	if err := p.st.DeleteMessage(ctx, ch.msg.Seq, p.opts.now()); err != nil {
		return err
	}
	del := e2e.DeleteMessage{MessageID: messageID}
	err = p.sendChange(ctx, ch, del, func(g e2e.Group) e2e.Message { return e2e.GroupDeleteMessage{Group: g, Delete: del} })
	if err != nil {
		return err
	}
	p.log.Info("delete queued", "conversation", conversation, "message_id", messageID, "receivers", len(ch.to))
	return nil
}

// RemoveMessage deletes a message (its store sequence number) on this
// phone only, of any sender in any conversation, as a Threema app's "delete"
// does: the peers keep theirs and nothing is sent. store.ErrNotFound when
// there is no such message.
func (p *Phone) RemoveMessage(ctx context.Context, seq int64) error {
	var found bool
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		found, err = tx.RemoveMessage(ctx, seq)
		return err
	})
	if err != nil {
		return fmt.Errorf("phone: remove message: %w", err)
	}
	if !found {
		return fmt.Errorf("phone: remove message %d: %w", seq, store.ErrNotFound)
	}
	return nil
}

// applyEdit edits (text != nil) or deletes an earlier message of the same
// sender in a conversation (the 1:1 conversation with c, or a group's).
// As in the Threema apps, only the original sender's change applies, an
// edit only to a text or file, at any age; anything else is rejected as
// invalid.
func (p *Phone) applyEdit(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, conv string, id uint64, text *string) error {
	msg, err := tx.Message(ctx, conv, c.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		p.reject(v, RejectInvalid, errors.New("edit or delete of an unknown message, or of another sender's"))
		return nil
	}
	if err != nil {
		return err
	}
	kind := EventMessageDeleted
	if text != nil {
		if !Editable(msg.Type) {
			p.reject(v, RejectInvalid, fmt.Errorf("edit of a message of type 0x%02x", msg.Type))
			return nil
		}
		kind = EventMessageEdited
		err = tx.EditMessage(ctx, msg.Seq, *text, p.opts.now())
	} else {
		err = tx.DeleteMessage(ctx, msg.Seq, p.opts.now())
	}
	if err != nil {
		return err
	}
	if msg, err = tx.MessageBySeq(ctx, msg.Seq); err != nil {
		return err
	}
	v.events = append(v.events, Event{Kind: kind, Conversation: msg.Conversation, Peer: c.ID, MessageID: id, Message: &msg})
	return nil
}
