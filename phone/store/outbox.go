package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OutboxEntry is an encoded envelope waiting for the chat server's ack.
type OutboxEntry struct {
	// Seq orders the entries (send order).
	Seq int64
	// Receiver is the envelope's receiver.
	Receiver string
	// MessageID is the envelope's message id.
	MessageID uint64
	// Envelope is the encoded §3.4 envelope, resent byte for byte.
	Envelope []byte
	// MessageSeq is the Seq of the message it carries, or 0 for control
	// messages (receipts, group management).
	MessageSeq int64
	// CreatedAt is when it was queued (set by the store).
	CreatedAt time.Time
}

// AddOutbox queues an envelope and returns the entry's Seq.
func (o Ops) AddOutbox(ctx context.Context, e OutboxEntry) (int64, error) {
	var msgSeq any
	if e.MessageSeq != 0 {
		msgSeq = e.MessageSeq
	}
	res, err := o.q.ExecContext(ctx, `INSERT INTO outbox (receiver, message_id, envelope, message_seq, created_at) VALUES (?, ?, ?, ?, ?)`,
		e.Receiver, int64(e.MessageID), e.Envelope, msgSeq, millis(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("store: add outbox: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("store: add outbox: %w", err)
	}
	return seq, nil
}

// Outbox lists the entries in send order.
func (o Ops) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	rows, err := o.q.QueryContext(ctx, `SELECT seq, receiver, message_id, envelope, COALESCE(message_seq, 0), created_at FROM outbox ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []OutboxEntry
	for rows.Next() {
		var (
			e       OutboxEntry
			mid     int64
			created int64
		)
		if err := rows.Scan(&e.Seq, &e.Receiver, &mid, &e.Envelope, &e.MessageSeq, &created); err != nil {
			return nil, fmt.Errorf("store: outbox: %w", err)
		}
		e.MessageID, e.CreatedAt = uint64(mid), fromMillis(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: outbox: %w", err)
	}
	return out, nil
}

// CompleteOutbox removes an acknowledged entry. When the entry carried a
// message and no other entry carries it (group sends have one per member),
// it returns the message's Seq so the caller can mark it sent; else 0.
func (o Ops) CompleteOutbox(ctx context.Context, seq int64) (int64, error) {
	var msgSeq sql.NullInt64
	err := o.q.QueryRowContext(ctx, `DELETE FROM outbox WHERE seq = ? RETURNING message_seq`, seq).Scan(&msgSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: complete outbox %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: complete outbox %d: %w", seq, err)
	}
	if !msgSeq.Valid {
		return 0, nil
	}
	var left int
	if err := o.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE message_seq = ?`, msgSeq.Int64).Scan(&left); err != nil {
		return 0, fmt.Errorf("store: complete outbox %d: %w", seq, err)
	}
	if left > 0 {
		return 0, nil
	}
	return msgSeq.Int64, nil
}

// FailOutbox removes an entry that will not be sent and returns the Seq of
// the message it carried (0 for control messages), to be marked failed.
func (o Ops) FailOutbox(ctx context.Context, seq int64) (int64, error) {
	var msgSeq sql.NullInt64
	err := o.q.QueryRowContext(ctx, `DELETE FROM outbox WHERE seq = ? RETURNING message_seq`, seq).Scan(&msgSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: fail outbox %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: fail outbox %d: %w", seq, err)
	}
	return msgSeq.Int64, nil
}

// OutboxLen counts the entries.
func (o Ops) OutboxLen(ctx context.Context) (int, error) {
	var n int
	if err := o.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: outbox length: %w", err)
	}
	return n, nil
}
