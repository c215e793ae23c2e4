//go:build !nocluster

package blob

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	wire "github.com/kurier/kurier/protocol/blob"
)

// purgeBatch bounds the blobs one purge statement deletes (and so its
// chunk rows: at most 32 × 100 MiB).
const purgeBatch = 32

// usageTimeout bounds the query of the shared totals: an upload's meter
// waits for it.
const usageTimeout = 5 * time.Second

// remove deletes blob id and (by cascade) its chunks.
func (s *postgresStore) remove(ctx context.Context, id wire.ID) error {
	var size int64
	err := s.pool.QueryRow(ctx, `DELETE FROM blob_objects WHERE id = $1 RETURNING size`, id[:]).Scan(&size)
	if errors.Is(err, pgx.ErrNoRows) {
		return wire.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("blob: remove: %w", err)
	}
	s.usageCache.add(storeUsage{blobs: -1, bytes: -size})
	return nil
}

// purgeQuery deletes up to $2 blobs uploaded at or before $1. Rows another
// node is deleting are skipped, not waited for.
const purgeQuery = `WITH gone AS (
		DELETE FROM blob_objects WHERE key IN (
			SELECT key FROM blob_objects WHERE id IS NOT NULL AND uploaded_at <= $1
			LIMIT $2 FOR UPDATE SKIP LOCKED
		) RETURNING size
	)
	SELECT count(*), COALESCE(sum(size), 0) FROM gone`

// abandonedQuery deletes up to $2 uploads that wrote no chunk for $1
// microseconds of the database's clock.
const abandonedQuery = `DELETE FROM blob_objects WHERE key IN (
		SELECT key FROM blob_objects WHERE id IS NULL AND touched_at < now() - $1 * interval '1 microsecond'
		LIMIT $2 FOR UPDATE SKIP LOCKED
	)`

// purge deletes expired blobs, then abandoned uploads, purgeBatch at a
// time, so that neither a transaction nor memory grows with the store.
func (s *postgresStore) purge(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	for {
		var n, size int64
		if err := s.pool.QueryRow(ctx, purgeQuery, cutoff, purgeBatch).Scan(&n, &size); err != nil {
			return total, fmt.Errorf("blob: purge: %w", err)
		}
		total += int(n)
		s.usageCache.add(storeUsage{blobs: -n, bytes: -size})
		if n < purgeBatch {
			break
		}
	}
	for {
		tag, err := s.pool.Exec(ctx, abandonedQuery, s.abandonAfter.Microseconds(), purgeBatch)
		if err != nil {
			return total, fmt.Errorf("blob: purge abandoned uploads: %w", err)
		}
		if tag.RowsAffected() < purgeBatch {
			return total, nil
		}
	}
}

// usage reads the shared totals, at most once per usageCacheTTL.
func (s *postgresStore) usage(ctx context.Context) (storeUsage, error) {
	return s.usageCache.Get(ctx, func(ctx context.Context) (storeUsage, error) {
		ctx, cancel := context.WithTimeout(ctx, usageTimeout)
		defer cancel()
		var u storeUsage
		err := s.pool.QueryRow(ctx,
			`SELECT count(*), COALESCE(sum(size), 0) FROM blob_objects WHERE id IS NOT NULL`).Scan(&u.blobs, &u.bytes)
		if err != nil {
			return u, fmt.Errorf("blob: usage: %w", err)
		}
		return u, nil
	})
}

// uploadsInProgress counts this node's uploads being written.
func (s *postgresStore) uploadsInProgress() int { return int(s.writing.Load()) }
