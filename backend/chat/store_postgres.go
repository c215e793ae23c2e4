//go:build !nocluster

package chat

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kurier/kurier/internal/pgdb"
)

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresStore is the chat queue on PostgreSQL, which several chat nodes
// may share. A commit returns once the server has made it durable (its
// synchronous_commit, on by default; with a synchronous standby, on both).
type postgresStore struct {
	pool *pgxpool.Pool
	url  string // for the listener's connection of its own
	node string // this node's name in notifications and sessions
}

// openPostgresStore connects to url and migrates the chat tables; node
// names this chat node in the cluster.
func openPostgresStore(ctx context.Context, url, node string) (*postgresStore, error) {
	migrations, err := fs.Sub(postgresMigrations, "migrations/postgres")
	if err != nil {
		return nil, fmt.Errorf("chat: store migrations: %w", err)
	}
	pool, err := pgdb.Open(ctx, url, "chat", migrations)
	if err != nil {
		return nil, fmt.Errorf("chat: store: %w", err)
	}
	return &postgresStore{pool: pool, url: url, node: node}, nil
}

func (s *postgresStore) close() error {
	s.pool.Close()
	return nil
}

// postgresTx is one batcher transaction.
type postgresTx struct {
	ctx  context.Context
	tx   pgx.Tx
	node string
}

func (s *postgresStore) begin(ctx context.Context) (queueTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("chat: store begin: %w", err)
	}
	return &postgresTx{ctx: ctx, tx: tx, node: s.node}, nil
}

// nextSeq (the tail of an upsert into chat_receivers) takes the
// receiver's next seq under its row, held until the commit, so one
// receiver's inserts from several nodes commit in seq order.
const nextSeq = `ON CONFLICT (receiver) DO UPDATE SET last_seq = chat_receivers.last_seq + 1 RETURNING last_seq`

// queueInsert stores the message with the seq of s unless it is already
// queued. A duplicate leaves a gap in the receiver's seqs, which nothing
// minds.
const queueInsert = `INSERT INTO chat_queue (receiver, seq, sender, message_id, expires_at, envelope)
	SELECT $1, s.last_seq, $2, $3, $4, $5 FROM s
	ON CONFLICT (receiver, sender, message_id) DO NOTHING RETURNING seq`

// insertQuery allocates the receiver's next seq and inserts the message.
const insertQuery = `WITH s AS (INSERT INTO chat_receivers (receiver, last_seq) VALUES ($1, 1) ` + nextSeq + `) ` + queueInsert

// relayQuery is insertQuery for a no-queuing message: it stores nothing
// (and takes no seq) unless the receiver is logged in on a node other than
// $6.
const relayQuery = `WITH online AS (
		SELECT 1 FROM chat_sessions WHERE identity = $1 AND node <> '' AND node <> $6
	), s AS (INSERT INTO chat_receivers (receiver, last_seq) SELECT $1, 1 FROM online ` + nextSeq + `) ` + queueInsert

// deleteQuery removes an acknowledged message.
const deleteQuery = `DELETE FROM chat_queue WHERE receiver = $1 AND sender = $2 AND message_id = $3`

// write sends every op in one round trip (a pgx batch: the statements are
// pipelined, then their results read in order), followed by the
// notifications that tell the other nodes whose queues grew.
func (t *postgresTx) write(ctx context.Context, ops []writeOp) error {
	var (
		b         pgx.Batch
		receivers []string
	)
	for _, op := range ops {
		if op.del {
			b.Queue(deleteQuery, op.receiver, op.sender, int64(op.messageID))
			continue
		}
		if op.relay {
			b.Queue(relayQuery, op.receiver, op.sender, int64(op.messageID), op.expiresAt, op.envelope, t.node)
		} else {
			b.Queue(insertQuery, op.receiver, op.sender, int64(op.messageID), op.expiresAt, op.envelope)
		}
		// ops are sorted by receiver: one entry each.
		if len(receivers) == 0 || receivers[len(receivers)-1] != op.receiver {
			receivers = append(receivers, op.receiver)
		}
	}
	notifyQueued(&b, t.node, receivers)
	res := t.tx.SendBatch(ctx, &b)
	for i := range ops {
		op := &ops[i]
		if op.del {
			tag, err := res.Exec()
			if err != nil {
				_ = res.Close()
				return fmt.Errorf("chat: store delete: %w", err)
			}
			op.applied = tag.RowsAffected() > 0
			continue
		}
		err := res.QueryRow().Scan(&op.seq)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			_ = res.Close()
			return fmt.Errorf("chat: store insert: %w", err)
		default:
			op.applied = true
		}
	}
	for range b.Len() - len(ops) {
		if _, err := res.Exec(); err != nil {
			_ = res.Close()
			return fmt.Errorf("chat: store notify: %w", err)
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("chat: store write: %w", err)
	}
	return nil
}

func (t *postgresTx) purgeExpired(ctx context.Context, nowMillis int64) (int64, error) {
	return t.exec(ctx, "purge expired", `DELETE FROM chat_queue q USING (
			SELECT receiver, seq FROM chat_queue WHERE expires_at <= $1 FOR UPDATE SKIP LOCKED
		) e WHERE q.receiver = e.receiver AND q.seq = e.seq`, nowMillis)
}

func (t *postgresTx) purgeReceiver(ctx context.Context, receiver string) (int64, error) {
	return t.exec(ctx, "purge "+receiver, `DELETE FROM chat_queue WHERE receiver = $1`, receiver)
}

func (t *postgresTx) depths(ctx context.Context, receivers []string) (map[string]queueDepth, error) {
	rows, err := t.tx.Query(ctx, `SELECT receiver, COUNT(*), COALESCE(SUM(octet_length(envelope)), 0)
		FROM chat_queue WHERE receiver = ANY($1) GROUP BY receiver`, receivers)
	if err != nil {
		return nil, fmt.Errorf("chat: store depths: %w", err)
	}
	out := make(map[string]queueDepth, len(receivers))
	var (
		r string
		d queueDepth
	)
	if _, err := pgx.ForEachRow(rows, []any{&r, &d.n, &d.bytes}, func() error {
		out[r] = d
		return nil
	}); err != nil {
		return nil, fmt.Errorf("chat: store depths: %w", err)
	}
	return out, nil
}

func (t *postgresTx) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("chat: store %s: %w", what, err)
	}
	return tag.RowsAffected(), nil
}

func (t *postgresTx) commit() error {
	if err := t.tx.Commit(t.ctx); err != nil {
		return fmt.Errorf("chat: store commit: %w", err)
	}
	return nil
}

func (t *postgresTx) rollback() { _ = t.tx.Rollback(context.WithoutCancel(t.ctx)) }

func (s *postgresStore) backlog(ctx context.Context, receiver string, afterSeq, nowMillis int64, limit int) ([]storedMessage, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, envelope FROM chat_queue
		WHERE receiver = $1 AND seq > $2 AND expires_at > $3 ORDER BY seq LIMIT $4`,
		receiver, afterSeq, nowMillis, limit)
	if err != nil {
		return nil, fmt.Errorf("chat: store backlog: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storedMessage, error) {
		var m storedMessage
		err := r.Scan(&m.seq, &m.envelope)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("chat: store backlog: %w", err)
	}
	return out, nil
}

func (s *postgresStore) depth(ctx context.Context, receiver string, nowMillis int64) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM chat_queue WHERE receiver = $1 AND expires_at > $2`,
		receiver, nowMillis).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store depth: %w", err)
	}
	return n, nil
}

func (s *postgresStore) count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM chat_queue`).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store count: %w", err)
	}
	return n, nil
}

// sizeBytes is the queue table's size with its indexes and TOAST.
func (s *postgresStore) sizeBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT pg_total_relation_size('chat_queue')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: store size: %w", err)
	}
	return n, nil
}
