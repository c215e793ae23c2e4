package webclient

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
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
	if c.Quote != nil && c.Receiver.Type != wc.ReceiverDistributionList {
		if c.Text, err = s.quoted(ctx, c.Receiver, c.Quote, c.Text); err != nil {
			return nil, err
		}
	}
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
		if msg, err = s.newestOfList(ctx, l); err != nil {
			return nil, err
		}
	default:
		return nil, wc.ErrInvalidConversation
	}
	s.show(msg.Seq)
	id := strconv.FormatInt(msg.Seq, 10)
	return []wc.WireMessage{
		wc.NewMessageCreated(m, c.Receiver, id, nil),
		wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: c.Receiver, Mode: wc.ModeNew, Messages: []wc.Message{s.messageOf(msg)}}),
	}, nil
}

// newestOfList is the list's own record of what was just sent to its
// members (SendListText and SendListFile return the 1:1 copies): the newest
// message of its conversation.
func (s *Session) newestOfList(ctx context.Context, l store.List) (store.Message, error) {
	ms, err := s.srv.p.Store().Messages(ctx, l.Key(), 0, 1)
	if err != nil || len(ms) != 1 {
		return store.Message{}, fmt.Errorf("webclient: list message: %w", errors.Join(err, wc.ErrInternal))
	}
	return ms[0], nil
}

// quoted returns text as a v2 quote of the message the web names (its
// messageId is the phone's own id, §2.4; a 16-hex Threema id is read too),
// as the Android app writes it into the text (e2e.QuoteText). A quote of a
// message the phone does not have, or one that has no Threema id, is left
// out, as the Android app does. With the quote the text must still fit.
func (s *Session) quoted(ctx context.Context, r wc.Receiver, q *wc.Quote, text string) (string, error) {
	key, err := s.conversationKey(ctx, r)
	if err != nil {
		return "", err
	}
	var qm store.Message
	if seq, perr := strconv.ParseInt(q.MessageID, 10, 64); perr == nil {
		qm, err = s.srv.p.Store().MessageBySeq(ctx, seq)
	} else if b, herr := hex.DecodeString(q.MessageID); herr == nil && len(b) == 8 {
		qm, err = s.srv.p.Store().MessageInConversation(ctx, key, binary.LittleEndian.Uint64(b))
	} else {
		err = store.ErrNotFound
	}
	if err != nil || qm.Conversation != key || qm.MessageID == 0 {
		s.log.Info("quoted message not found; sending without the quote")
		return text, nil
	}
	out := e2e.QuoteText(qm.MessageID, text)
	if len(out) > e2e.MaxTextLen {
		return "", fmt.Errorf("%w: the text with its quote is too long", wc.ErrValueTooLong)
	}
	return out, nil
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
