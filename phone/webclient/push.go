package webclient

import (
	"context"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// push sends the updates for one phone event.
func (s *Session) push(ctx context.Context, e phone.Event) error {
	var out []wc.WireMessage
	switch e.Kind {
	case phone.EventMessage, phone.EventMessageState, phone.EventMessageEdited, phone.EventMessageDeleted, phone.EventMessageReaction:
		if e.Message == nil {
			return nil
		}
		r, ok := receiverOf(e.Message.Conversation)
		if !ok {
			return nil
		}
		mode := wc.ModeModified
		switch {
		case e.Kind == phone.EventMessage, e.Kind == phone.EventMessageState && e.Message.Outgoing && !s.wasShown(e.Message.Seq):
			// The phone emits no event when it queues its own message
			// (control API, bots): the first state change shows it.
			mode = wc.ModeNew
		case e.Kind == phone.EventMessageDeleted:
			mode = wc.ModeRemoved
		}
		textChanged := e.Kind == phone.EventMessageEdited || e.Kind == phone.EventMessageDeleted
		out = s.messagePush(ctx, r, *e.Message, mode, textChanged)
	case phone.EventTyping:
		if !wc.ValidIdentity(e.Peer) {
			return nil
		}
		out = append(out, wc.NewTyping(wc.Typing{Identity: e.Peer, IsTyping: e.Typing}))
	case phone.EventContact:
		if e.Contact == nil {
			return nil
		}
		c := contactOf(*e.Contact)
		out = append(out, wc.NewReceiverUpdate(wc.ReceiverUpdate{Receiver: wc.Receiver{Type: wc.ReceiverContact, ID: c.ID},
			Mode: wc.ModeModified, Contact: &c}))
	case phone.EventAvatar:
		ms, err := s.avatarPush(ctx, e.Conversation)
		if err != nil {
			s.log.Warn("avatar update not pushed", "key", e.Conversation, "err", err)
		}
		out = append(out, ms...)
	case phone.EventGroup:
		if e.Group == nil {
			return nil
		}
		g := groupOf(*e.Group, s.srv.p.ID())
		out = append(out, wc.NewReceiverUpdate(wc.ReceiverUpdate{Receiver: wc.Receiver{Type: wc.ReceiverGroup, ID: g.ID},
			Mode: wc.ModeModified, Group: &g}))
	}
	for _, m := range out {
		if err := s.send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// maxShown bounds the shown set; past it the set starts over (at worst an
// own message is pushed as new twice).
const maxShown = 100_000

// show records that the desktop has seen the message with this seq in a
// message list (a page or a push). A conversation's latestMessage is a
// preview, not that: an own message first seen there is still pushed as new
// when its state changes (else the web, which has no such message in its
// list, drops the "modified" push — and a test caught this race).
func (s *Session) show(seq int64) {
	if len(s.shown) >= maxShown {
		clear(s.shown)
	}
	s.shown[seq] = struct{}{}
}

// wasShown reports whether the desktop has seen the message with this seq.
func (s *Session) wasShown(seq int64) bool {
	_, ok := s.shown[seq]
	return ok
}

// messagePush is the push for one message: the message in update/messages
// with mode; when its text changed (an edit, a delete for everyone) the
// replies quoting it (repliesTo); and its conversation, whose latest
// message, count and unread state change with every message event (a
// conversation the desktop has not seen yet, a new group's first message,
// appears with it).
func (s *Session) messagePush(ctx context.Context, r wc.Receiver, msg store.Message, mode wc.Mode, textChanged bool) []wc.WireMessage {
	s.show(msg.Seq)
	out := []wc.WireMessage{wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: r, Mode: mode, Messages: []wc.Message{s.messageOf(msg)}})}
	if textChanged {
		out = append(out, s.repliesTo(ctx, r, msg)...)
	}
	if conv, ok, err := s.conversation(ctx, msg.Conversation, -1); err == nil && ok {
		out = append(out, wc.NewConversationUpdate(wc.ConversationUpdate{Mode: wc.ModeModified, Conversation: conv}))
	}
	return out
}

// maxRepliesPushed bounds the replies re-sent when the message they quote
// changes (a peer controls how many replies there are): the newest ones.
const maxRepliesPushed = 50

// repliesTo is the update of the replies to m, as the desktop must now show
// them, or nothing when there are none: a quote is resolved when a message
// is sent to the desktop, so when the quoted message is edited or deleted
// for everyone (by a peer, or by the desktop) the replies
// are sent again, quoting the new text or nothing (the original gone
// everywhere).
func (s *Session) repliesTo(ctx context.Context, r wc.Receiver, m store.Message) []wc.WireMessage {
	replies, err := s.srv.p.Store().MessagesStartingWith(ctx, m.Conversation, e2e.QuoteText(m.MessageID, ""), maxRepliesPushed)
	if err != nil {
		s.log.Warn("replies to a changed message not updated", "err", err)
		return nil
	}
	if len(replies) == 0 {
		return nil
	}
	out := make([]wc.Message, 0, len(replies))
	for _, reply := range replies {
		out = append(out, s.messageOf(reply))
	}
	return []wc.WireMessage{wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: r, Mode: wc.ModeModified, Messages: out})}
}
