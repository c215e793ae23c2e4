package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ConversationKind says what a conversation is with.
type ConversationKind string

// Conversation kinds.
const (
	// KindContact is a 1:1 conversation.
	KindContact ConversationKind = "contact"
	// KindGroup is a group conversation.
	KindGroup ConversationKind = "group"
	// KindList is a distribution list.
	KindList ConversationKind = "list"
)

// ContactKey is the conversation key of a 1:1 conversation: the peer's ID.
func ContactKey(peer string) string { return peer }

// GroupKey is the conversation key of a group: "g:CREATOR:GROUPIDHEX".
func GroupKey(creator string, groupID uint64) string {
	return "g:" + creator + ":" + fmt.Sprintf("%016x", groupID)
}

// ListKey is the conversation key of a distribution list: "l:N".
func ListKey(id int64) string { return "l:" + strconv.FormatInt(id, 10) }

// ParseGroupKey splits a group conversation key.
func ParseGroupKey(key string) (creator string, groupID uint64, ok bool) {
	rest, found := strings.CutPrefix(key, "g:")
	if !found {
		return "", 0, false
	}
	creator, hexID, found := strings.Cut(rest, ":")
	if !found || len(hexID) != 16 {
		return "", 0, false
	}
	id, err := strconv.ParseUint(hexID, 16, 64)
	if err != nil {
		return "", 0, false
	}
	return creator, id, true
}

// Conversation is a conversation summary.
type Conversation struct {
	// Key identifies the conversation (ContactKey, GroupKey, ListKey).
	Key string
	// Kind is what it is with.
	Kind ConversationKind
	// LastMessageAt is the time of its latest message.
	LastMessageAt time.Time
	// Unread counts incoming messages not marked read.
	Unread int
	// Messages counts its messages.
	Messages int
	// Starred is true when the user pinned it.
	Starred bool
}

// touchConversation creates the conversation if needed and records a new
// message in it.
func (o Ops) touchConversation(ctx context.Context, key string, kind ConversationKind, at time.Time, unread bool) error {
	_, err := o.q.ExecContext(ctx, `INSERT INTO conversations (key, kind, last_message_at, unread) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET last_message_at = MAX(last_message_at, excluded.last_message_at),
			unread = unread + excluded.unread`, key, string(kind), millis(at), boolInt(unread))
	if err != nil {
		return fmt.Errorf("store: conversation: %w", err)
	}
	return nil
}

// Conversations lists the conversations, the most recent first.
func (o Ops) Conversations(ctx context.Context) ([]Conversation, error) {
	rows, err := o.q.QueryContext(ctx, `SELECT c.key, c.kind, c.last_message_at, c.unread, c.starred,
		(SELECT COUNT(*) FROM messages m WHERE m.conversation = c.key)
		FROM conversations c ORDER BY c.last_message_at DESC, c.key`)
	if err != nil {
		return nil, fmt.Errorf("store: conversations: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Conversation
	for rows.Next() {
		var (
			c    Conversation
			kind string
			last int64
		)
		if err := rows.Scan(&c.Key, &kind, &last, &c.Unread, &c.Starred, &c.Messages); err != nil {
			return nil, fmt.Errorf("store: conversations: %w", err)
		}
		c.Kind, c.LastMessageAt = ConversationKind(kind), fromMillis(last)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: conversations: %w", err)
	}
	return out, nil
}

// SetStarred pins (or unpins) a conversation; ErrNotFound when there is
// none with key.
func (o Ops) SetStarred(ctx context.Context, key string, starred bool) error {
	res, err := o.q.ExecContext(ctx, `UPDATE conversations SET starred = ? WHERE key = ?`, boolInt(starred), key)
	if err != nil {
		return fmt.Errorf("store: star: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkConversationRead resets a conversation's unread count.
func (o Ops) MarkConversationRead(ctx context.Context, key string) error {
	if _, err := o.q.ExecContext(ctx, `UPDATE conversations SET unread = 0 WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: mark read: %w", err)
	}
	return nil
}

// ClearConversation deletes every message of a conversation and resets its
// unread count; the conversation itself stays. It returns the number of
// messages deleted. Outbox entries of messages still being sent stay (their
// message link becomes NULL), so what was promised to a peer still goes out.
func (o Ops) ClearConversation(ctx context.Context, key string) (int64, error) {
	res, err := o.q.ExecContext(ctx, `DELETE FROM messages WHERE conversation = ?`, key)
	if err != nil {
		return 0, fmt.Errorf("store: clear conversation: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := o.q.ExecContext(ctx, `UPDATE conversations SET unread = 0 WHERE key = ?`, key); err != nil {
		return 0, fmt.Errorf("store: clear conversation: %w", err)
	}
	return n, nil
}

// deleteConversation deletes a conversation with every message in it (a
// group's or list's, when the group or list goes).
func (o Ops) deleteConversation(ctx context.Context, key string) error {
	if _, err := o.ClearConversation(ctx, key); err != nil {
		return err
	}
	if _, err := o.q.ExecContext(ctx, `DELETE FROM conversations WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: delete conversation: %w", err)
	}
	return nil
}
