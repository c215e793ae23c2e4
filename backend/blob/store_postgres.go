//go:build !nocluster

package blob

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kurier/kurier/internal/pgdb"
	wire "github.com/kurier/kurier/protocol/blob"
)

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// chunkLayout is how the PostgreSQL store cuts a blob: rows of chunkSize
// bytes (the last one of a blob may be shorter; at most about 8100, the
// most a PLAIN row holds), written and read perSegment rows at a time.
// Each upload and download holds one segment in memory.
type chunkLayout struct {
	chunkSize, perSegment int
}

// defaultLayout: 8000-byte rows stay in their heap page, never TOASTed
// (see doc.go); a segment of 132 rows (1,056,000 bytes) is the fewest
// that hold 1 MiB, so that a blob of up to 1 MiB is one transaction.
var defaultLayout = chunkLayout{chunkSize: 8000, perSegment: 132}

// segmentSize is the bytes of a full segment.
func (l chunkLayout) segmentSize() int { return l.chunkSize * l.perSegment }

// releaseTimeout bounds the deletion of an upload that failed.
const releaseTimeout = 30 * time.Second

// errUploadGone means an upload's row was deleted while it was written:
// purge took it for abandoned.
var errUploadGone = errors.New("blob: upload abandoned")

// postgresStore keeps blobs in PostgreSQL, which several blob nodes may
// share: a blob_objects row per upload and its bytes in blob_chunks rows.
// Each segment is its own short transaction or query, so that no
// connection or transaction is held while a client sends or receives; an
// upload becomes visible only when the statement that gives it its id
// commits.
type postgresStore struct {
	pool         *pgxpool.Pool
	layout       chunkLayout
	abandonAfter time.Duration
	buffers      sync.Pool // *[]byte of layout.segmentSize()
	writing      atomic.Int64
	usageCache   usageCache
}

// openPostgresStore connects to url and migrates the blob tables. Uploads
// are cut as layout says; an upload that wrote nothing for abandonAfter is
// deleted by purge.
func openPostgresStore(ctx context.Context, url string, layout chunkLayout, abandonAfter time.Duration) (*postgresStore, error) {
	migrations, err := fs.Sub(postgresMigrations, "migrations/postgres")
	if err != nil {
		return nil, fmt.Errorf("blob: store migrations: %w", err)
	}
	pool, err := pgdb.Open(ctx, url, "blob", migrations)
	if err != nil {
		return nil, fmt.Errorf("blob: store: %w", err)
	}
	s := &postgresStore{pool: pool, layout: layout, abandonAfter: abandonAfter}
	s.usageCache.TTL = usageCacheTTL
	s.buffers.New = func() any { b := make([]byte, layout.segmentSize()); return &b }
	return s, nil
}

func (s *postgresStore) close() error {
	s.pool.Close()
	return nil
}

// pgUpload is an upload in PostgreSQL: the segments written so far and
// the last one, still in memory, which commit writes with the id.
type pgUpload struct {
	s         *postgresStore
	key       int64   // its blob_objects row; 0 until a segment is written
	next      int     // the number of the next chunk
	size      int64   // the bytes read
	bp        *[]byte // the segment buffer, from s.buffers
	tail      int     // the bytes in it that commit writes
	committed bool
}

// write streams r into a new upload a segment at a time, each in a
// transaction of its own, but for the last one: commit writes it with the
// id, so that a blob of one segment is one transaction. Nothing is
// visible before that commit.
func (s *postgresStore) write(ctx context.Context, r io.Reader, limit int64) (pendingUpload, int64, error) {
	u := &pgUpload{s: s, bp: s.buffers.Get().(*[]byte)}
	s.writing.Add(1)
	fail := func(err error) (pendingUpload, int64, error) {
		u.release()
		return nil, 0, err
	}
	buf := *u.bp
	src := io.LimitReader(r, limit+1)
	filled := 0 // bytes of buf already read
	for {
		m, err := io.ReadFull(src, buf[filled:])
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return fail(uploadReadError(err))
		}
		u.size += int64(m)
		if u.size > limit {
			return fail(wire.ErrTooLarge)
		}
		if !end {
			// buf is full: it is the last segment unless one more byte comes.
			var next [1]byte
			k, err := io.ReadFull(src, next[:])
			end = errors.Is(err, io.EOF)
			if err != nil && !end {
				return fail(uploadReadError(err))
			}
			if !end {
				u.size += int64(k)
				if u.size > limit {
					return fail(wire.ErrTooLarge)
				}
				if err := u.writeSegment(ctx, buf); err != nil {
					return fail(err)
				}
				buf[0], filled = next[0], 1
				continue
			}
		}
		u.tail = filled + m
		return u, u.size, nil
	}
}

// writeSegment stores a full segment in one transaction, which creates
// the upload's row first or else moves its touched_at on (and holds it,
// so that purge cannot take the upload for abandoned meanwhile).
func (u *pgUpload) writeSegment(ctx context.Context, data []byte) error {
	tx, err := u.s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("blob: write segment: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	key := u.key
	if key == 0 {
		err = tx.QueryRow(ctx, `INSERT INTO blob_objects (chunk_size) VALUES ($1) RETURNING key`,
			u.s.layout.chunkSize).Scan(&key)
	} else {
		var tag pgconn.CommandTag
		tag, err = tx.Exec(ctx, `UPDATE blob_objects SET touched_at = now() WHERE key = $1 AND id IS NULL`, key)
		if err == nil && tag.RowsAffected() != 1 {
			return errUploadGone
		}
	}
	if err != nil {
		return fmt.Errorf("blob: write segment: %w", err)
	}
	if err := u.copyChunks(ctx, tx, key, data); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("blob: write segment: %w", err)
	}
	u.key = key
	u.next += u.s.layout.perSegment
	return nil
}

// copyChunks writes data as the chunks from u.next on, one COPY.
func (u *pgUpload) copyChunks(ctx context.Context, tx pgx.Tx, key int64, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	cs := u.s.layout.chunkSize
	rows := (len(data) + cs - 1) / cs
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"blob_chunks"}, []string{"key", "n", "data"},
		pgx.CopyFromSlice(rows, func(i int) ([]any, error) {
			return []any{key, int32(u.next + i), data[i*cs : min((i+1)*cs, len(data))]}, nil
		}))
	if err != nil {
		return fmt.Errorf("blob: write chunks: %w", err)
	}
	return nil
}

// commit writes the last segment and names the upload id, in one
// transaction: the blob appears whole or not at all. The unique id fails
// a commit under a taken id (errIDTaken), and the upload stays as it was.
func (u *pgUpload) commit(ctx context.Context, id wire.ID, now time.Time) error {
	tx, err := u.s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("blob: commit: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	key := u.key
	if key == 0 {
		err = tx.QueryRow(ctx, `INSERT INTO blob_objects (id, size, chunk_size, uploaded_at)
			VALUES ($1, $2, $3, $4) RETURNING key`, id[:], u.size, u.s.layout.chunkSize, now).Scan(&key)
	} else {
		var tag pgconn.CommandTag
		tag, err = tx.Exec(ctx, `UPDATE blob_objects SET id = $2, size = $3, uploaded_at = $4
			WHERE key = $1 AND id IS NULL`, key, id[:], u.size, now)
		if err == nil && tag.RowsAffected() != 1 {
			return errUploadGone
		}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" { // unique_violation
		return errIDTaken
	}
	if err != nil {
		return fmt.Errorf("blob: commit: %w", err)
	}
	if err := u.copyChunks(ctx, tx, key, (*u.bp)[:u.tail]); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("blob: commit: %w", err)
	}
	u.key, u.committed = key, true
	u.s.usageCache.add(storeUsage{blobs: 1, bytes: u.size})
	return nil
}

// release returns the buffer and deletes an upload that was never
// committed, with its chunks. Should that fail, purge deletes it once it
// is abandoned.
func (u *pgUpload) release() {
	defer u.s.writing.Add(-1)
	u.s.buffers.Put(u.bp)
	u.bp = nil
	if u.committed || u.key == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	_, _ = u.s.pool.Exec(ctx, `DELETE FROM blob_objects WHERE key = $1 AND id IS NULL`, u.key)
}
