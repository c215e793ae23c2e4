package webclient

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// parseListKey reads the list id of a list conversation key ("l:ID").
func parseListKey(key string) (int64, bool) {
	rest, ok := strings.CutPrefix(key, "l:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// list finds a distribution list by its decimal wire id.
func (s *Session) list(ctx context.Context, id string) (store.List, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return store.List{}, wc.ErrInvalidDistributionList
	}
	l, err := s.srv.p.Store().List(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return store.List{}, wc.ErrInvalidDistributionList
	}
	if err != nil {
		return store.List{}, fmt.Errorf("webclient: list: %w", err)
	}
	return l, nil
}

// lists returns every distribution list (each has a conversation row).
func (s *Session) lists(ctx context.Context) ([]store.List, error) {
	cs, err := s.srv.p.Store().Conversations(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.List
	for _, c := range cs {
		id, ok := parseListKey(c.Key)
		if !ok {
			continue
		}
		l, err := s.srv.p.Store().List(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("webclient: lists: %w", err)
		}
		out = append(out, l)
	}
	return out, nil
}

// listOf converts a distribution list to its receiver object.
func listOf(l store.List) wc.DistributionList {
	id := strconv.FormatInt(l.ID, 10)
	name := l.Name
	if name == "" {
		name = strings.Join(l.Members, ", ")
	}
	return wc.DistributionList{
		// Lists are the phone's own: the web may change and delete them.
		ReceiverBase: wc.ReceiverBase{ID: id, DisplayName: name, Color: listColor(l.ID), Visible: true,
			Access: wc.ReceiverAccess{CanDelete: true, CanChangeMembers: true}},
		Members: append([]string(nil), l.Members...),
	}
}

// handleListCreate creates a distribution list, replies with it and pushes
// it as a new receiver (the phone emits no event for lists).
func (s *Session) handleListCreate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	c, ok := v.(wc.DistributionListCreate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	l, err := s.srv.p.CreateList(ctx, c.Name, c.Members)
	if err != nil {
		return nil, groupError(err)
	}
	return listReply(m, l, wc.ModeNew), nil
}

// listReply is the reply with list l and its push as a receiver in mode.
func listReply(m wc.WireMessage, l store.List, mode wc.Mode) []wc.WireMessage {
	obj := listOf(l)
	return []wc.WireMessage{
		wc.NewDistributionListResult(m, &obj, nil),
		wc.NewReceiverUpdate(wc.ReceiverUpdate{Receiver: wc.Receiver{Type: wc.ReceiverDistributionList, ID: obj.ID},
			Mode: mode, DistributionList: &obj}),
	}
}

// handleListUpdate renames a distribution list and replaces its members,
// replies with it and pushes it as a modified receiver.
func (s *Session) handleListUpdate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	u, ok := v.(wc.DistributionListUpdate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	l, err := s.list(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	l, err = s.srv.p.UpdateList(ctx, l.ID, u.Name, u.Members)
	if err != nil {
		return nil, groupError(err)
	}
	return listReply(m, l, wc.ModeModified), nil
}

// handleListDelete deletes a distribution list and its conversation and
// pushes the receiver as removed.
func (s *Session) handleListDelete(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	d, ok := v.(wc.DistributionListDelete)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	l, err := s.list(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	if err := s.srv.p.DeleteList(ctx, l.ID); err != nil {
		return nil, err
	}
	r := wc.Receiver{Type: wc.ReceiverDistributionList, ID: d.ID}
	return []wc.WireMessage{
		wc.NewConfirmActionReply(m, nil),
		wc.NewReceiverUpdate(wc.ReceiverUpdate{Receiver: r, Mode: wc.ModeRemoved}),
	}, nil
}

// handleCleanConversation empties a conversation on the phone and pushes
// the conversation (now without messages).
func (s *Session) handleCleanConversation(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.ReceiverOnly)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	key, err := s.conversationKey(ctx, r.Receiver)
	if err != nil {
		return nil, err
	}
	if _, err := s.srv.p.ClearConversation(ctx, key); err != nil {
		return nil, err
	}
	out := []wc.WireMessage{wc.NewConfirmActionReply(m, nil)}
	if conv, ok, err := s.conversation(ctx, key, -1); err == nil && ok {
		out = append(out, wc.NewConversationUpdate(wc.ConversationUpdate{Mode: wc.ModeModified, Conversation: conv}))
	}
	return out, nil
}
