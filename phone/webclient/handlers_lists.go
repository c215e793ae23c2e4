package webclient

import (
	"context"
	"fmt"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// handleReceivers answers request/receivers: the contacts and the groups.
func (s *Session) handleReceivers(ctx context.Context, m wc.WireMessage, _ any) ([]wc.WireMessage, error) {
	p := s.srv.p
	cs, err := p.Contacts(ctx)
	if err != nil {
		return nil, err
	}
	gs, err := p.Groups(ctx)
	if err != nil {
		return nil, err
	}
	r := wc.Receivers{Contacts: make([]wc.Contact, 0, len(cs)), Groups: make([]wc.Group, 0, len(gs)), DistributionLists: []wc.DistributionList{}}
	for _, c := range cs {
		r.Contacts = append(r.Contacts, contactOf(c))
	}
	for _, g := range gs {
		r.Groups = append(r.Groups, groupOf(g, p.ID()))
	}
	ls, err := s.lists(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		r.DistributionLists = append(r.DistributionLists, listOf(l))
	}
	return []wc.WireMessage{wc.NewReceivers(m, r)}, nil
}

// conversation builds the conversation object of a conversation key.
func (s *Session) conversation(ctx context.Context, key string, position int) (wc.Conversation, bool, error) {
	r, ok := receiverOf(key)
	if !ok {
		return wc.Conversation{}, false, nil
	}
	cs, err := s.srv.p.Store().Conversations(ctx)
	if err != nil {
		return wc.Conversation{}, false, err
	}
	for i, c := range cs {
		if c.Key != key {
			continue
		}
		if position < 0 {
			position = i
		}
		out := wc.Conversation{Receiver: r, Position: uint32(position), MessageCount: uint32(c.Messages),
			UnreadCount: uint32(c.Unread), IsUnread: c.Unread > 0, IsStarred: c.Starred}
		lm, found, err := s.latestMessage(ctx, key)
		if err != nil {
			return wc.Conversation{}, false, err
		}
		if found {
			out.LatestMessage = &lm
		}
		return out, true, nil
	}
	return wc.Conversation{}, false, nil
}

// handleConversations answers request/conversations, the most recent first.
// With maxSize, each conversation carries its avatar scaled to that edge.
func (s *Session) handleConversations(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	req, _ := v.(wc.ConversationsRequest)
	cs, err := s.srv.p.Store().Conversations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]wc.Conversation, 0, len(cs))
	for _, c := range cs {
		r, ok := receiverOf(c.Key)
		if !ok {
			continue // a key of no known kind
		}
		conv := wc.Conversation{Receiver: r, Position: uint32(len(out)), MessageCount: uint32(c.Messages),
			UnreadCount: uint32(c.Unread), IsUnread: c.Unread > 0, IsStarred: c.Starred}
		lm, found, err := s.latestMessage(ctx, c.Key)
		if err != nil {
			return nil, err
		}
		if found {
			conv.LatestMessage = &lm
		}
		if req.MaxSize > 0 {
			if conv.Avatar, err = s.avatarImage(ctx, c.Key, int(req.MaxSize)); err != nil {
				return nil, err
			}
		}
		out = append(out, conv)
	}
	return []wc.WireMessage{wc.NewConversations(m, out)}, nil
}

// handleMessages answers request/messages: the newest page, or the page
// older than refMsgId. Messages deleted for everyone are left out, as their
// deletion was pushed as mode removed (a page may then hold fewer).
func (s *Session) handleMessages(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	req, ok := v.(wc.MessagesRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	key, err := s.conversationKey(ctx, req.Receiver)
	if err != nil {
		return nil, err
	}
	var before int64
	if req.RefMsgID != "" {
		if before, err = parseMessageID(req.RefMsgID); err != nil {
			return nil, err
		}
	}
	ms, err := s.srv.p.Store().Messages(ctx, key, before, pageSize+1)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	more := len(ms) > pageSize
	if more {
		ms = ms[1:]
	}
	out := make([]wc.Message, 0, len(ms))
	for _, x := range ms {
		if !x.DeletedAt.IsZero() {
			continue // deleted for everyone: pushed as removed, so the desktop has none
		}
		s.show(x.Seq)
		out = append(out, s.messageOf(x))
	}
	return []wc.WireMessage{wc.NewMessagesResponse(m, wc.MessagesResponse{Receiver: req.Receiver, More: more, Messages: out})}, nil
}

// latestScan bounds how many of the newest messages latestMessage looks
// through for one not deleted for everyone.
const latestScan = 20

// latestMessage is a conversation's newest message that was not deleted for
// everyone (those are pushed as removed, so the desktop has none); found is
// false when there is none among the newest latestScan.
func (s *Session) latestMessage(ctx context.Context, key string) (m wc.Message, found bool, err error) {
	// The newest alone first: it is rarely deleted, and every message push
	// comes here.
	for _, n := range []int{1, latestScan} {
		ms, err := s.srv.p.Store().Messages(ctx, key, 0, n)
		if err != nil {
			return wc.Message{}, false, err
		}
		for i := len(ms) - 1; i >= 0; i-- {
			if ms[i].DeletedAt.IsZero() {
				return s.messageOf(ms[i]), true, nil
			}
		}
		if len(ms) < n {
			break
		}
	}
	return wc.Message{}, false, nil
}
