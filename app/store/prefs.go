package store

import (
	"context"
	"fmt"
)

// PrefRecord is what the user decided about one conversation on this
// computer (the caller's JSON, sealed like the cache).
type PrefRecord struct {
	Key  Key
	Data []byte
}

// PutConversationPrefs stores a conversation's preferences (nil data deletes them).
func (s *Store) PutConversationPrefs(ctx context.Context, r PrefRecord) error {
	if r.Data == nil {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM conversation_prefs WHERE type = ? AND rid = ?`, r.Key.Type, r.Key.ID); err != nil {
			return fmt.Errorf("store: conversation prefs: %w", err)
		}
		return nil
	}
	b, err := s.encode(r.Data)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO conversation_prefs (type, rid, data) VALUES (?, ?, ?)`,
		r.Key.Type, r.Key.ID, b); err != nil {
		return fmt.Errorf("store: conversation prefs: %w", err)
	}
	return nil
}

// ConversationPrefs returns every conversation's stored preferences.
func (s *Store) ConversationPrefs(ctx context.Context) ([]PrefRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT type, rid, data FROM conversation_prefs ORDER BY type, rid`)
	if err != nil {
		return nil, fmt.Errorf("store: conversation prefs: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []PrefRecord
	for rows.Next() {
		var (
			r PrefRecord
			b []byte
		)
		if err := rows.Scan(&r.Key.Type, &r.Key.ID, &b); err != nil {
			return nil, fmt.Errorf("store: conversation prefs: %w", err)
		}
		if r.Data, err = s.decode(b); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: conversation prefs: %w", err)
	}
	return out, nil
}
