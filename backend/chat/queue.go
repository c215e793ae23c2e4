package chat

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kurier/kurier/internal/pgdb"
)

// queueStore is the chat server's durable queue: SQLite in the data
// directory (the embedded default) or PostgreSQL (Config.Database). It is
// the only code in the package that touches a database. Writes go through
// one transaction at a time, used only by the batcher goroutine, and a
// commit is on disk before any ack is released. Reads may run beside it.
type queueStore interface {
	// begin starts the batcher's write transaction.
	begin(ctx context.Context) (queueTx, error)
	// backlog returns up to limit unexpired messages for receiver with
	// seq > afterSeq, in seq order.
	backlog(ctx context.Context, receiver string, afterSeq, nowMillis int64, limit int) ([]storedMessage, error)
	// depth counts the unexpired messages queued for receiver.
	depth(ctx context.Context, receiver string, nowMillis int64) (int, error)
	// count counts every queued message.
	count(ctx context.Context) (int64, error)
	// sizeBytes is the queue's size on disk, which MaxStoreBytes bounds.
	sizeBytes(ctx context.Context) (int64, error)
	close() error
}

// queueTx is one write transaction of the batcher.
type queueTx interface {
	// write applies ops in order: an insert stores a message unless
	// (receiver, sender, message id) is already queued and sets the new
	// row's seq (increasing per receiver, never reused); a delete removes an
	// acknowledged message. applied reports a new row or a row gone.
	write(ctx context.Context, ops []writeOp) error
	// purgeExpired deletes every message that expired at or before nowMillis.
	purgeExpired(ctx context.Context, nowMillis int64) (int64, error)
	// purgeReceiver deletes every message queued for receiver.
	purgeReceiver(ctx context.Context, receiver string) (int64, error)
	// depths counts every message queued for each receiver (expired or
	// not) and their bytes: the figures the per-receiver bounds apply to.
	// A receiver with nothing queued may be missing from the map.
	depths(ctx context.Context, receivers []string) (map[string]queueDepth, error)
	// commit commits; on success every change is durable.
	commit() error
	// rollback abandons the transaction.
	rollback()
}

// writeOp is one insert or delete of a batch.
type writeOp struct {
	del              bool // delete an acknowledged message instead of inserting one
	receiver, sender string
	messageID        uint64
	expiresAt        int64  // unix milliseconds (insert)
	envelope         []byte // insert
	ref              int    // the caller's, untouched by write
	// relay (insert; cluster only) stores the message only if its
	// receiver is logged in on another node: a no-queuing message on its
	// way there.
	relay bool

	// Set by write.
	seq     int64 // the new row's seq (insert)
	applied bool  // a row was inserted or deleted
}

// sortForLocks orders a batch's writes by receiver, inserts before
// deletes, keeping the order of arrival otherwise. Every node's
// transaction then takes its row locks in the same order (a receiver's seq
// row, then its queue rows), so two nodes' batches never deadlock.
func sortForLocks(ops []writeOp) {
	slices.SortStableFunc(ops, func(a, b writeOp) int {
		if c := strings.Compare(a.receiver, b.receiver); c != 0 {
			return c
		}
		switch {
		case a.del == b.del:
			return 0
		case b.del:
			return -1
		}
		return 1
	})
}

// queueDepth is what one receiver's queue holds.
type queueDepth struct {
	n     int
	bytes int64
}

// storedMessage is one queued message as the delivery path reads it.
type storedMessage struct {
	seq      int64
	envelope []byte
}

// openQueue opens the store cfg names: PostgreSQL when cfg.Database is a
// postgres:// URL, else SQLite in cfg.DataDir.
func openQueue(ctx context.Context, cfg Config) (queueStore, error) {
	if pgdb.IsURL(cfg.Database) {
		return openPostgresStore(ctx, cfg.Database, cfg.Node)
	}
	return openSQLiteStore(ctx, filepath.Join(cfg.DataDir, dbFile), cfg.RelaxedSync)
}

// storeQueryTimeout bounds the queries of the watermark check.
const storeQueryTimeout = 10 * time.Second
