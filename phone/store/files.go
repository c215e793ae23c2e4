package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PutFile keeps the bytes of a file message (its store sequence number).
func (o Ops) PutFile(ctx context.Context, seq int64, data []byte) error {
	if _, err := o.q.ExecContext(ctx, `INSERT INTO files (message_seq, data) VALUES (?, ?)
		ON CONFLICT (message_seq) DO UPDATE SET data = excluded.data`, seq, data); err != nil {
		return fmt.Errorf("store: put file: %w", err)
	}
	return nil
}

// File returns the kept bytes of a file message; ErrNotFound when none are.
func (o Ops) File(ctx context.Context, seq int64) ([]byte, error) {
	var data []byte
	err := o.q.QueryRowContext(ctx, `SELECT data FROM files WHERE message_seq = ?`, seq).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: file: %w", err)
	}
	return data, nil
}

// FileBytes is how many bytes the kept files take.
func (o Ops) FileBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := o.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(length(data)), 0) FROM files`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: file bytes: %w", err)
	}
	return n, nil
}
