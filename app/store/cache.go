package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Key names a conversation partner: receiver type and id.
type Key struct {
	Type string
	ID   string
}

// Record is a cached receiver: its key and its JSON body.
type Record struct {
	Key  Key
	Data []byte
}

// ConversationRecord is a cached conversation.
type ConversationRecord struct {
	Key          Key
	LastActivity int64
	Data         []byte
}

// MessageRecord is a cached message of one conversation.
type MessageRecord struct {
	ID      string
	SortKey int64
	Data    []byte
}

// tx runs fn in a transaction.
func (s *Store) tx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// PutReceivers stores receivers; replace drops every other one first.
func (s *Store) PutReceivers(ctx context.Context, recs []Record, replace bool) error {
	return s.tx(ctx, "put receivers", func(tx *sql.Tx) error {
		if replace {
			if _, err := tx.ExecContext(ctx, `DELETE FROM receivers`); err != nil {
				return err
			}
		}
		for _, r := range recs {
			b, err := s.encode(r.Data)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO receivers (type, id, data) VALUES (?, ?, ?)`, r.Key.Type, r.Key.ID, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteReceiver removes one receiver.
func (s *Store) DeleteReceiver(ctx context.Context, k Key) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM receivers WHERE type = ? AND id = ?`, k.Type, k.ID); err != nil {
		return fmt.Errorf("store: delete receiver: %w", err)
	}
	return nil
}

// Receivers returns every cached receiver.
func (s *Store) Receivers(ctx context.Context) ([]Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT type, id, data FROM receivers ORDER BY type, id`)
	if err != nil {
		return nil, fmt.Errorf("store: receivers: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Record
	for rows.Next() {
		var r Record
		var b []byte
		if err := rows.Scan(&r.Key.Type, &r.Key.ID, &b); err != nil {
			return nil, fmt.Errorf("store: receivers: %w", err)
		}
		if r.Data, err = s.decode(b); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutConversations stores conversations; replace drops every other one first.
func (s *Store) PutConversations(ctx context.Context, cs []ConversationRecord, replace bool) error {
	return s.tx(ctx, "put conversations", func(tx *sql.Tx) error {
		if replace {
			if _, err := tx.ExecContext(ctx, `DELETE FROM conversations`); err != nil {
				return err
			}
		}
		for _, c := range cs {
			b, err := s.encode(c.Data)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO conversations (type, id, last_activity, data) VALUES (?, ?, ?, ?)`,
				c.Key.Type, c.Key.ID, c.LastActivity, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Conversations returns every cached conversation, the most active first.
func (s *Store) Conversations(ctx context.Context) ([]ConversationRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT type, id, last_activity, data FROM conversations ORDER BY last_activity DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: conversations: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []ConversationRecord
	for rows.Next() {
		var c ConversationRecord
		var b []byte
		if err := rows.Scan(&c.Key.Type, &c.Key.ID, &c.LastActivity, &b); err != nil {
			return nil, fmt.Errorf("store: conversations: %w", err)
		}
		if c.Data, err = s.decode(b); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Conversation returns one cached conversation, or ErrNotFound.
func (s *Store) Conversation(ctx context.Context, k Key) (ConversationRecord, error) {
	c := ConversationRecord{Key: k}
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT last_activity, data FROM conversations WHERE type = ? AND id = ?`, k.Type, k.ID).Scan(&c.LastActivity, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: conversation: %w", err)
	}
	c.Data, err = s.decode(b)
	return c, err
}

// PutMessages stores (or replaces) messages of one conversation.
func (s *Store) PutMessages(ctx context.Context, k Key, ms []MessageRecord) error {
	return s.tx(ctx, "put messages", func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO messages (type, rid, id, sort_key, data) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer func() { _ = st.Close() }()
		for _, m := range ms {
			b, err := s.encode(m.Data)
			if err != nil {
				return err
			}
			if _, err := st.ExecContext(ctx, k.Type, k.ID, m.ID, m.SortKey, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteMessages removes messages (and their media) of one conversation.
func (s *Store) DeleteMessages(ctx context.Context, k Key, ids []string) error {
	return s.tx(ctx, "delete messages", func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE type = ? AND rid = ? AND id = ?`, k.Type, k.ID, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM media WHERE type = ? AND rid = ? AND id = ?`, k.Type, k.ID, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearConversation removes every message of one conversation.
func (s *Store) ClearConversation(ctx context.Context, k Key) error {
	return s.tx(ctx, "clear conversation", func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM messages WHERE type = ? AND rid = ?`, `DELETE FROM media WHERE type = ? AND rid = ?`} {
			if _, err := tx.ExecContext(ctx, q, k.Type, k.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// Message returns one cached message, or ErrNotFound.
func (s *Store) Message(ctx context.Context, k Key, id string) (MessageRecord, error) {
	m := MessageRecord{ID: id}
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT sort_key, data FROM messages WHERE type = ? AND rid = ? AND id = ?`, k.Type, k.ID, id).Scan(&m.SortKey, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store: message: %w", err)
	}
	m.Data, err = s.decode(b)
	return m, err
}

// Messages returns up to limit messages of a conversation older than the
// message before (all the latest when before is ""), oldest first, and
// whether older ones exist.
func (s *Store) Messages(ctx context.Context, k Key, before string, limit int) ([]MessageRecord, bool, error) {
	upper := int64(1<<63 - 1)
	if before != "" {
		ref, err := s.Message(ctx, k, before)
		if err != nil {
			return nil, false, err
		}
		upper = ref.SortKey
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, sort_key, data FROM messages WHERE type = ? AND rid = ? AND sort_key < ?
		ORDER BY sort_key DESC LIMIT ?`, k.Type, k.ID, upper, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("store: messages: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []MessageRecord
	for rows.Next() {
		var m MessageRecord
		var b []byte
		if err := rows.Scan(&m.ID, &m.SortKey, &b); err != nil {
			return nil, false, fmt.Errorf("store: messages: %w", err)
		}
		if m.Data, err = s.decode(b); err != nil {
			return nil, false, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store: messages: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, more, nil
}

// NewestSortKey returns the highest sort key of a conversation's cached
// messages, or 0 when none is cached.
func (s *Store) NewestSortKey(ctx context.Context, k Key) (int64, error) {
	var newest sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(sort_key) FROM messages WHERE type = ? AND rid = ?`, k.Type, k.ID).Scan(&newest); err != nil {
		return 0, fmt.Errorf("store: newest sort key: %w", err)
	}
	return newest.Int64, nil
}

// MessageIDsBetween returns the ids of a conversation's cached messages
// whose sort keys lie in [from, to].
func (s *Store) MessageIDsBetween(ctx context.Context, k Key, from, to int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM messages WHERE type = ? AND rid = ? AND sort_key BETWEEN ? AND ? ORDER BY sort_key`, k.Type, k.ID, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: message ids: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: message ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: message ids: %w", err)
	}
	return ids, nil
}

// EachMessage calls fn for every cached message (for building the search index).
func (s *Store) EachMessage(ctx context.Context, fn func(Key, MessageRecord) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT type, rid, id, sort_key, data FROM messages`)
	if err != nil {
		return fmt.Errorf("store: messages: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var k Key
		var m MessageRecord
		var b []byte
		if err := rows.Scan(&k.Type, &k.ID, &m.ID, &m.SortKey, &b); err != nil {
			return fmt.Errorf("store: messages: %w", err)
		}
		if m.Data, err = s.decode(b); err != nil {
			return err
		}
		if err := fn(k, m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PutMedia stores a thumbnail, avatar or file of a message (id "" for a receiver's avatar).
func (s *Store) PutMedia(ctx context.Context, k Key, id, kind string, data []byte) error {
	b, err := s.encode(data)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO media (type, rid, id, kind, data) VALUES (?, ?, ?, ?, ?)`, k.Type, k.ID, id, kind, b); err != nil {
		return fmt.Errorf("store: put media: %w", err)
	}
	return nil
}

// Media returns stored media, or ErrNotFound.
func (s *Store) Media(ctx context.Context, k Key, id, kind string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM media WHERE type = ? AND rid = ? AND id = ? AND kind = ?`, k.Type, k.ID, id, kind).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: media: %w", err)
	}
	return s.decode(b)
}

// SetDraft stores a conversation's draft ("" deletes it).
func (s *Store) SetDraft(ctx context.Context, k Key, text string) error {
	if text == "" {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM drafts WHERE type = ? AND rid = ?`, k.Type, k.ID); err != nil {
			return fmt.Errorf("store: draft: %w", err)
		}
		return nil
	}
	b, err := s.encode([]byte(text))
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO drafts (type, rid, data) VALUES (?, ?, ?)`, k.Type, k.ID, b); err != nil {
		return fmt.Errorf("store: draft: %w", err)
	}
	return nil
}

// Draft returns a conversation's draft ("" when none).
func (s *Store) Draft(ctx context.Context, k Key) (string, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM drafts WHERE type = ? AND rid = ?`, k.Type, k.ID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: draft: %w", err)
	}
	t, err := s.decode(b)
	return string(t), err
}

// SetValue stores a single value as given (callers seal secrets themselves).
func (s *Store) SetValue(ctx context.Context, key string, v []byte) error {
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)`, key, v); err != nil {
		return fmt.Errorf("store: set %s: %w", key, err)
	}
	return nil
}

// Value returns a single value, or ErrNotFound.
func (s *Store) Value(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", key, err)
	}
	return v, nil
}

// DeleteValue removes a single value.
func (s *Store) DeleteValue(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM kv WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: delete %s: %w", key, err)
	}
	return nil
}

// ClearCache removes every cached receiver, conversation, message, file,
// draft, waiting message and conversation preference, and the values named
// in keys, in one transaction.
func (s *Store) ClearCache(ctx context.Context, keys ...string) error {
	return s.tx(ctx, "clear cache", func(tx *sql.Tx) error {
		for _, t := range []string{"receivers", "conversations", "messages", "media", "drafts", "outbox", "conversation_prefs"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM kv WHERE key = ?`, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// Vacuum rewrites the database file so deleted plaintext does not linger in free pages.
func (s *Store) Vacuum(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("store: vacuum: %w", err)
	}
	return nil
}
