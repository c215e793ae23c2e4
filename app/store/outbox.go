package store

import (
	"context"
	"database/sql"
	"fmt"
)

// OutboxRecord is one message waiting for the phone.
type OutboxRecord struct {
	// ID is the message's local id until the phone gives it one.
	ID string
	// Key is its conversation.
	Key Key
	// Data is the caller's record (JSON), stored sealed like the cache.
	Data []byte
}

// OutboxUsage is what the outbox holds: records and their bytes.
type OutboxUsage struct {
	Count int
	Bytes int64
}

// PutOutbox appends a record to the outbox, after every earlier one.
func (s *Store) PutOutbox(ctx context.Context, r OutboxRecord) error {
	b, err := s.encode(r.Data)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO outbox (id, type, rid, size, data) VALUES (?, ?, ?, ?, ?)`,
		r.ID, r.Key.Type, r.Key.ID, len(b), b); err != nil {
		return fmt.Errorf("store: put outbox: %w", err)
	}
	return nil
}

// Outbox returns the waiting records in the order they were put, of every
// conversation (k nil) or of one.
func (s *Store) Outbox(ctx context.Context, k *Key) ([]OutboxRecord, error) {
	var (
		rows *sql.Rows
		err  error
	)
	if k == nil {
		rows, err = s.db.QueryContext(ctx, `SELECT id, type, rid, data FROM outbox ORDER BY seq`)
	} else {
		rows, err = s.db.QueryContext(ctx, `SELECT id, type, rid, data FROM outbox WHERE type = ? AND rid = ? ORDER BY seq`, k.Type, k.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []OutboxRecord
	for rows.Next() {
		var (
			r OutboxRecord
			b []byte
		)
		if err := rows.Scan(&r.ID, &r.Key.Type, &r.Key.ID, &b); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		if r.Data, err = s.decode(b); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	return out, nil
}

// DeleteOutbox removes a record; it reports whether there was one.
func (s *Store) DeleteOutbox(ctx context.Context, id string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id)
	if err != nil {
		return false, fmt.Errorf("store: delete outbox: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// OutboxUsage counts the waiting records and their stored bytes.
func (s *Store) OutboxUsage(ctx context.Context) (OutboxUsage, error) {
	var u OutboxUsage
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(size), 0) FROM outbox`).Scan(&u.Count, &u.Bytes); err != nil {
		return u, fmt.Errorf("store: outbox usage: %w", err)
	}
	return u, nil
}

// UpdateOutbox replaces a record's data, keeping its place in the order.
func (s *Store) UpdateOutbox(ctx context.Context, id string, data []byte) error {
	b, err := s.encode(data)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE outbox SET data = ?, size = ? WHERE id = ?`, b, len(b), id); err != nil {
		return fmt.Errorf("store: update outbox: %w", err)
	}
	return nil
}
