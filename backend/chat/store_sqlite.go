package chat

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/kurier/kurier/internal/sqlitedb"
)

//go:embed migrations/sqlite/*.sql
var sqliteMigrations embed.FS

// sqliteStore is the chat server's SQLite queue (the embedded default). Writes go through one dedicated connection with
// synchronous=FULL (unless Config.RelaxedSync), used only by the batcher
// goroutine, so that a commit is on disk (not just in the WAL's page cache)
// before any ack is released. Reads use the pool.
type sqliteStore struct {
	db   *sql.DB
	w    *sql.Conn
	path string
}

// openSQLiteStore opens (creating and migrating) the queue database at path. The
// writer connection commits with synchronous=FULL (fsync on every commit)
// unless relaxed, then NORMAL (WAL: durable against a process crash only).
func openSQLiteStore(ctx context.Context, path string, relaxed bool) (*sqliteStore, error) {
	migrations, err := fs.Sub(sqliteMigrations, "migrations/sqlite")
	if err != nil {
		return nil, fmt.Errorf("chat: store migrations: %w", err)
	}
	db, err := sqlitedb.Open(ctx, path, migrations)
	if err != nil {
		return nil, fmt.Errorf("chat: store: %w", err)
	}
	w, err := db.Conn(ctx)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("chat: store writer: %w", err)
	}
	mode := "FULL"
	if relaxed {
		mode = "NORMAL"
	}
	if _, err := w.ExecContext(ctx, `PRAGMA synchronous = `+mode); err != nil {
		_ = w.Close()
		_ = db.Close()
		return nil, fmt.Errorf("chat: store writer: %w", err)
	}
	return &sqliteStore{db: db, w: w, path: path}, nil
}

// close releases the writer connection and closes the database.
func (s *sqliteStore) close() error {
	werr := s.w.Close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("chat: store close: %w", err)
	}
	if werr != nil {
		return fmt.Errorf("chat: store close writer: %w", werr)
	}
	return nil
}

// sqliteTx is one batcher transaction on the writer connection.
type sqliteTx struct {
	tx     *sql.Tx
	insert *sql.Stmt
	delete *sql.Stmt
}

// begin starts a write transaction (BEGIN IMMEDIATE through the DSN).
func (s *sqliteStore) begin(ctx context.Context) (queueTx, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("chat: store begin: %w", err)
	}
	return &sqliteTx{tx: tx}, nil
}

// write applies ops in order through two statements prepared once per
// transaction.
func (t *sqliteTx) write(ctx context.Context, ops []writeOp) error {
	for i := range ops {
		op := &ops[i]
		var err error
		if op.del {
			op.applied, err = t.deleteMessage(ctx, op.receiver, op.sender, op.messageID)
		} else {
			op.seq, op.applied, err = t.insertMessage(ctx, op.receiver, op.sender, op.messageID, op.expiresAt, op.envelope)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// insertMessage stores a message unless (receiver, sender, message id) is already
// queued; it reports the new row's seq, or stored=false for a duplicate.
func (t *sqliteTx) insertMessage(ctx context.Context, receiver, sender string, messageID uint64, expiresAtMillis int64, envelope []byte) (seq int64, stored bool, err error) {
	if t.insert == nil {
		if t.insert, err = t.tx.PrepareContext(ctx, `INSERT OR IGNORE INTO queue
			(receiver, sender, message_id, expires_at, envelope) VALUES (?, ?, ?, ?, ?)`); err != nil {
			return 0, false, fmt.Errorf("chat: store prepare insert: %w", err)
		}
	}
	res, err := t.insert.ExecContext(ctx, receiver, sender, int64(messageID), expiresAtMillis, envelope)
	if err != nil {
		return 0, false, fmt.Errorf("chat: store insert: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, false, fmt.Errorf("chat: store insert: %w", err)
	}
	if n == 0 {
		return 0, false, nil
	}
	seq, err = res.LastInsertId()
	if err != nil {
		return 0, false, fmt.Errorf("chat: store insert: %w", err)
	}
	return seq, true, nil
}

// deleteMessage removes an acknowledged message; it reports whether a row
// went away.
func (t *sqliteTx) deleteMessage(ctx context.Context, receiver, sender string, messageID uint64) (bool, error) {
	var err error
	if t.delete == nil {
		if t.delete, err = t.tx.PrepareContext(ctx, `DELETE FROM queue
			WHERE receiver = ? AND sender = ? AND message_id = ?`); err != nil {
			return false, fmt.Errorf("chat: store prepare delete: %w", err)
		}
	}
	res, err := t.delete.ExecContext(ctx, receiver, sender, int64(messageID))
	if err != nil {
		return false, fmt.Errorf("chat: store delete: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("chat: store delete: %w", err)
	}
	return n > 0, nil
}

// purgeExpired deletes every message that expired at or before nowMillis.
func (t *sqliteTx) purgeExpired(ctx context.Context, nowMillis int64) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `DELETE FROM queue WHERE expires_at <= ?`, nowMillis)
	if err != nil {
		return 0, fmt.Errorf("chat: store purge expired: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("chat: store purge expired: %w", err)
	}
	return n, nil
}

// purgeReceiver deletes every message queued for receiver.
func (t *sqliteTx) purgeReceiver(ctx context.Context, receiver string) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `DELETE FROM queue WHERE receiver = ?`, receiver)
	if err != nil {
		return 0, fmt.Errorf("chat: store purge %s: %w", receiver, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("chat: store purge %s: %w", receiver, err)
	}
	return n, nil
}

// commit commits the transaction; on success every change is on disk.
func (t *sqliteTx) commit() error {
	t.closeStmts()
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("chat: store commit: %w", err)
	}
	return nil
}

// rollback abandons the transaction.
func (t *sqliteTx) rollback() {
	t.closeStmts()
	_ = t.tx.Rollback()
}

func (t *sqliteTx) closeStmts() {
	if t.insert != nil {
		_ = t.insert.Close()
	}
	if t.delete != nil {
		_ = t.delete.Close()
	}
}

// backlog returns up to limit unexpired messages for receiver with seq >
// afterSeq, in seq order.
func (s *sqliteStore) backlog(ctx context.Context, receiver string, afterSeq, nowMillis int64, limit int) ([]storedMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, envelope FROM queue
		WHERE receiver = ? AND seq > ? AND expires_at > ? ORDER BY seq LIMIT ?`,
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

// depth counts the unexpired messages queued for receiver.
func (s *sqliteStore) depth(ctx context.Context, receiver string, nowMillis int64) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue WHERE receiver = ? AND expires_at > ?`,
		receiver, nowMillis).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store depth: %w", err)
	}
	return n, nil
}

// depths counts every message queued for each receiver (expired or not)
// and their bytes inside a write transaction, one indexed query each (on
// one local file that costs no round trip).
func (t *sqliteTx) depths(ctx context.Context, receivers []string) (map[string]queueDepth, error) {
	out := make(map[string]queueDepth, len(receivers))
	for _, r := range receivers {
		var d queueDepth
		if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(LENGTH(envelope)), 0) FROM queue WHERE receiver = ?`,
			r).Scan(&d.n, &d.bytes); err != nil {
			return nil, fmt.Errorf("chat: store depth: %w", err)
		}
		out[r] = d
	}
	return out, nil
}

// count counts every queued message.
func (s *sqliteStore) count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue`).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store count: %w", err)
	}
	return n, nil
}

// sizeBytes is the size of the queue's files on disk (the database and its
// write-ahead log).
func (s *sqliteStore) sizeBytes(context.Context) (int64, error) {
	var n int64
	for _, name := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(name); err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}
