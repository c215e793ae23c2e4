package webclient

import (
	"context"

	"github.com/kurier/kurier/phone"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// push sends the updates for one phone event.
func (s *Session) push(ctx context.Context, e phone.Event) error {
	var out []wc.WireMessage
	switch e.Kind {
	case phone.EventMessage, phone.EventMessageState, phone.EventMessageEdited, phone.EventMessageDeleted:
		if e.Message == nil {
			return nil
		}
		r, ok := receiverOf(e.Message.Conversation)
		if !ok {
			return nil
		}
		mode := wc.ModeModified
		switch e.Kind {
		case phone.EventMessage:
			mode = wc.ModeNew
		case phone.EventMessageDeleted:
			mode = wc.ModeRemoved
		}
		out = append(out, wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: r, Mode: mode, Messages: []wc.Message{messageOf(*e.Message)}}))
		if e.Kind == phone.EventMessage {
			if conv, ok, err := s.conversation(ctx, e.Message.Conversation, -1); err == nil && ok {
				out = append(out, wc.NewConversationUpdate(wc.ConversationUpdate{Mode: wc.ModeModified, Conversation: conv}))
			}
		}
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
