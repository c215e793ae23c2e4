package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kurier/kurier/app/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// ConversationPrefs is what the user decided about a conversation on this
// computer only (the Web protocol has no place for it).
type ConversationPrefs struct {
	Receiver Receiver `json:"receiver"`
	// Archived hides the conversation from the list until a new message
	// arrives (unless it is muted) or the user takes it out again.
	Archived bool `json:"archived"`
	// MutedUntil silences its notifications until then (Unix ms); -1
	// means until the user unmutes it, 0 not muted.
	MutedUntil int64 `json:"mutedUntil"`
	// MarkedUnread shows it as unread until it is opened.
	MarkedUnread bool `json:"markedUnread"`
}

// MutedForever is ConversationPrefs.MutedUntil for "until unmuted".
const MutedForever = -1

// zero reports whether p holds no decision (nothing to store).
func (p ConversationPrefs) zero() bool { return !p.Archived && p.MutedUntil == 0 && !p.MarkedUnread }

// ConversationPrefs returns the preferences of every conversation that has any.
func (c *ChatService) ConversationPrefs() ([]ConversationPrefs, error) {
	ctx, cancel := c.reqCtx()
	defer cancel()
	recs, err := c.ses.store.ConversationPrefs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ConversationPrefs, 0, len(recs))
	for _, r := range recs {
		var p ConversationPrefs
		if err := json.Unmarshal(r.Data, &p); err != nil {
			return nil, fmt.Errorf("app: conversation prefs: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// SetConversationPrefs stores a conversation's preferences and tells every
// open UI (EventConversationPrefsChanged, with all of them).
func (c *ChatService) SetConversationPrefs(p ConversationPrefs) ([]ConversationPrefs, error) {
	if err := p.Receiver.validate(); err != nil {
		return nil, err
	}
	if p.MutedUntil < MutedForever {
		return nil, fmt.Errorf("%w: mutedUntil", ErrInvalid)
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	rec := store.PrefRecord{Key: p.Receiver.key()}
	if !p.zero() {
		b, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("app: conversation prefs: %w", err)
		}
		rec.Data = b
	}
	if err := c.ses.store.PutConversationPrefs(ctx, rec); err != nil {
		return nil, err
	}
	all, err := c.ConversationPrefs()
	if err != nil {
		return nil, err
	}
	c.ses.hub.Publish(EventConversationPrefsChanged, all)
	return all, nil
}

// SetPinned pins a conversation to the top of the list (or unpins it) on
// the phone, as Threema Web does (update/conversation isStarred); the
// phone pushes the conversation back.
func (c *ChatService) SetPinned(r Receiver, pinned bool) error {
	if err := r.validate(); err != nil {
		return err
	}
	return c.askIf(true, nil, wc.NewConversationModify("", "", wc.ConversationModify{Receiver: r.wire(), IsStarred: &pinned}))
}

// DeleteConversation deletes every message of a conversation on the phone
// (delete/cleanReceiverConversation), and so here; the contact or group
// stays.
func (c *ChatService) DeleteConversation(r Receiver) error {
	if err := r.validate(); err != nil {
		return err
	}
	if err := c.askIf(true, nil, wc.NewCleanReceiverConversation("", r.wire())); err != nil {
		return err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	return c.ses.forgetMessages(ctx, r)
}

// forgetMessages drops a conversation's cached messages, files and search
// entries, and tells the UI which messages are gone.
func (s *session) forgetMessages(ctx context.Context, r Receiver) error {
	var ids []string
	for before := ""; ; {
		recs, more, err := s.store.Messages(ctx, r.key(), before, maxPage)
		if err != nil && !isNotFound(err) {
			return err
		}
		for _, rec := range recs {
			ids = append(ids, rec.ID)
		}
		if !more || len(recs) == 0 {
			break
		}
		before = recs[0].ID
	}
	if err := s.store.ClearConversation(ctx, r.key()); err != nil {
		return err
	}
	if err := s.index.Delete(ctx, r.Type, r.ID, ids...); err != nil {
		return err
	}
	s.hub.Publish(EventMessagesChanged, MessagesEvent{Receiver: r, Messages: []Message{}, Removed: ids})
	return nil
}

// askIf sends request m to the phone and waits for its answer, when the
// phone can take it (can; else it returns unable): ErrNotConnected first,
// then unable, then the phone's own refusal.
func (c *ChatService) askIf(can bool, unable error, m wc.WireMessage) error {
	conn, err := c.ses.current()
	if err != nil {
		return err
	}
	if !can {
		return unable
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	_, err = conn.Request(ctx, m)
	return err
}
