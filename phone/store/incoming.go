package store

import (
	"context"
	"fmt"
	"time"
)

// HasIncoming reports whether a message from sender with messageID was
// accepted before (deduplication, §3.4).
func (o Ops) HasIncoming(ctx context.Context, sender string, messageID uint64) (bool, error) {
	var n int
	if err := o.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM incoming WHERE sender = ? AND message_id = ?`,
		sender, int64(messageID)).Scan(&n); err != nil {
		return false, fmt.Errorf("store: has incoming: %w", err)
	}
	return n > 0, nil
}

// AddIncoming records an accepted incoming message for deduplication.
func (o Ops) AddIncoming(ctx context.Context, sender string, messageID uint64) error {
	if _, err := o.q.ExecContext(ctx, `INSERT INTO incoming (sender, message_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		sender, int64(messageID), millis(time.Now())); err != nil {
		return fmt.Errorf("store: add incoming: %w", err)
	}
	return nil
}
