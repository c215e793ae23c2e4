package webclient

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// handleTextMessage sends create/textMessage through the phone and replies
// with the new message's id, then pushes the message as new.
func (s *Session) handleTextMessage(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	c, ok := v.(wc.TextMessageCreate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	p := s.srv.p
	var (
		msg store.Message
		err error
	)
	switch c.Receiver.Type {
	case wc.ReceiverContact:
		msg, err = p.SendText(ctx, c.Receiver.ID, c.Text)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInvalidContact, err)
		}
	case wc.ReceiverGroup:
		g, gerr := s.group(ctx, c.Receiver.ID)
		if gerr != nil {
			return nil, gerr
		}
		if msg, err = p.SendGroupText(ctx, g.Creator, g.ID, c.Text); err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInvalidGroup, err)
		}
	case wc.ReceiverDistributionList:
		l, lerr := s.list(ctx, c.Receiver.ID)
		if lerr != nil {
			return nil, lerr
		}
		if _, err := p.SendListText(ctx, l.ID, c.Text); err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInvalidDistributionList, err)
		}
		// SendListText returns the 1:1 copies; the list's own record is the newest of its conversation.
		ms, err := p.Store().Messages(ctx, l.Key(), 0, 1)
		if err != nil || len(ms) != 1 {
			return nil, fmt.Errorf("webclient: list message: %w", errors.Join(err, wc.ErrInternal))
		}
		msg = ms[0]
	default:
		return nil, wc.ErrInvalidConversation
	}
	s.show(msg.Seq)
	id := strconv.FormatInt(msg.Seq, 10)
	return []wc.WireMessage{
		wc.NewMessageCreated(m, c.Receiver, id, nil),
		wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: c.Receiver, Mode: wc.ModeNew, Messages: []wc.Message{messageOf(msg)}}),
	}, nil
}

// handleRead marks the incoming messages of a contact conversation up to
// messageId as read (read receipts) and pushes the conversation.
func (s *Session) handleRead(ctx context.Context, _ wc.WireMessage, v any) ([]wc.WireMessage, error) {
	ref, ok := v.(wc.MessageRef)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	key, err := s.conversationKey(ctx, ref.Receiver)
	if err != nil {
		return nil, err
	}
	upTo, err := parseMessageID(ref.MessageID)
	if err != nil {
		return nil, err
	}
	if ref.Receiver.Type == wc.ReceiverContact {
		ms, err := s.srv.p.Store().Messages(ctx, key, upTo+1, 0)
		if err != nil {
			return nil, err
		}
		var ids []uint64
		for _, x := range ms {
			if !x.Outgoing && x.ReadAt.IsZero() {
				ids = append(ids, x.MessageID)
			}
		}
		if len(ids) > 0 {
			if err := s.srv.p.MarkRead(ctx, ref.Receiver.ID, ids...); err != nil {
				return nil, err
			}
		}
	}
	if ref.Receiver.Type != wc.ReceiverContact {
		// Group and list messages get no read receipts; they are read here only.
		if _, err := s.srv.p.Store().MarkIncomingRead(ctx, key, int64(upTo), time.Now()); err != nil {
			return nil, err
		}
	}
	var out []wc.WireMessage // request/read has no reply (§2.4); the conversation is pushed
	if conv, ok, err := s.conversation(ctx, key, -1); err == nil && ok {
		out = append(out, wc.NewConversationUpdate(wc.ConversationUpdate{Mode: wc.ModeModified, Conversation: conv}))
	}
	return out, nil
}
