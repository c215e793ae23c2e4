package chat

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/kurier/kurier/internal/pgdb"
)

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresStore is the chat queue on PostgreSQL, which several chat nodes
// may share. A commit returns once the server has made it durable (its
// synchronous_commit, on by default; with a synchronous standby, on both).
type postgresStore struct {
	db *sql.DB
}

// openPostgresStore connects to url and migrates the chat tables.
func openPostgresStore(ctx context.Context, url string) (*postgresStore, error) {
	migrations, err := fs.Sub(postgresMigrations, "migrations/postgres")
	if err != nil {
		return nil, fmt.Errorf("chat: store migrations: %w", err)
	}
	db, err := pgdb.Open(ctx, url, "chat", migrations)
	if err != nil {
		return nil, fmt.Errorf("chat: store: %w", err)
	}
	return &postgresStore{db: db}, nil
}

func (s *postgresStore) close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("chat: store close: %w", err)
	}
	return nil
}

// postgresTx is one batcher transaction.
type postgresTx struct{ tx *sql.Tx }

func (s *postgresStore) begin(ctx context.Context) (queueTx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("chat: store begin: %w", err)
	}
	return &postgresTx{tx: tx}, nil
}

// insertMessage allocates the receiver's next seq under its row (held
// until the commit, so one receiver's inserts from several nodes commit in
// seq order) and inserts unless the message is already queued, in one
// round trip. A duplicate leaves a gap in the receiver's seqs, which
// nothing minds.
func (t *postgresTx) insertMessage(ctx context.Context, receiver, sender string, messageID uint64, expiresAtMillis int64, envelope []byte) (int64, bool, error) {
	var seq int64
	err := t.tx.QueryRowContext(ctx, `WITH s AS (
			INSERT INTO chat_receivers (receiver, last_seq) VALUES ($1, 1)
			ON CONFLICT (receiver) DO UPDATE SET last_seq = chat_receivers.last_seq + 1 RETURNING last_seq
		)
		INSERT INTO chat_queue (receiver, seq, sender, message_id, expires_at, envelope)
		SELECT $1, s.last_seq, $2, $3, $4, $5 FROM s
		ON CONFLICT (receiver, sender, message_id) DO NOTHING RETURNING seq`,
		receiver, sender, int64(messageID), expiresAtMillis, envelope).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("chat: store insert: %w", err)
	}
	return seq, true, nil
}

func (t *postgresTx) deleteMessage(ctx context.Context, receiver, sender string, messageID uint64) (bool, error) {
	n, err := t.exec(ctx, "delete", `DELETE FROM chat_queue WHERE receiver = $1 AND sender = $2 AND message_id = $3`,
		receiver, sender, int64(messageID))
	return n > 0, err
}

// purgeExpired deletes the expired messages that no other node is
// deleting right now (SKIP LOCKED): any node may expire, none waits.
func (t *postgresTx) purgeExpired(ctx context.Context, nowMillis int64) (int64, error) {
	return t.exec(ctx, "purge expired", `DELETE FROM chat_queue q USING (
			SELECT receiver, seq FROM chat_queue WHERE expires_at <= $1 FOR UPDATE SKIP LOCKED
		) e WHERE q.receiver = e.receiver AND q.seq = e.seq`, nowMillis)
}

func (t *postgresTx) purgeReceiver(ctx context.Context, receiver string) (int64, error) {
	return t.exec(ctx, "purge "+receiver, `DELETE FROM chat_queue WHERE receiver = $1`, receiver)
}

func (t *postgresTx) depth(ctx context.Context, receiver string) (int, int64, error) {
	var (
		n     int
		bytes int64
	)
	if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(octet_length(envelope)), 0)
		FROM chat_queue WHERE receiver = $1`, receiver).Scan(&n, &bytes); err != nil {
		return 0, 0, fmt.Errorf("chat: store depth: %w", err)
	}
	return n, bytes, nil
}

func (t *postgresTx) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("chat: store %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("chat: store %s: %w", what, err)
	}
	return n, nil
}

func (t *postgresTx) commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("chat: store commit: %w", err)
	}
	return nil
}

func (t *postgresTx) rollback() { _ = t.tx.Rollback() }

func (s *postgresStore) backlog(ctx context.Context, receiver string, afterSeq, nowMillis int64, limit int) ([]storedMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, envelope FROM chat_queue
		WHERE receiver = $1 AND seq > $2 AND expires_at > $3 ORDER BY seq LIMIT $4`,
		receiver, afterSeq, nowMillis, limit)
	if err != nil {
		return nil, fmt.Errorf("chat: store backlog: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []storedMessage
	for rows.Next() {
		var m storedMessage
		if err := rows.Scan(&m.seq, &m.envelope); err != nil {
			return nil, fmt.Errorf("chat: store backlog: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chat: store backlog: %w", err)
	}
	return out, nil
}

func (s *postgresStore) depth(ctx context.Context, receiver string, nowMillis int64) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM chat_queue WHERE receiver = $1 AND expires_at > $2`,
		receiver, nowMillis).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store depth: %w", err)
	}
	return n, nil
}

func (s *postgresStore) count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM chat_queue`).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store count: %w", err)
	}
	return n, nil
}

// sizeBytes is the queue table's size with its indexes and TOAST.
func (s *postgresStore) sizeBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT pg_total_relation_size('chat_queue')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store size: %w", err)
	}
	return n, nil
}
