//go:build !nocluster

package blob

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/internal/pgdb"
)

// openClusterStore opens the store that several nodes share: the S3 bucket
// when cfg.S3 is set (even with cfg.Database), else PostgreSQL.
func openClusterStore(ctx context.Context, cfg Config) (blobStore, error) {
	if cfg.S3 != "" {
		if cfg.MaxBlobBytes > s3MaxCopy {
			return nil, fmt.Errorf("blob: MaxBlobBytes above %d bytes, the largest object S3 copies at once", int64(s3MaxCopy))
		}
		return openS3Store(ctx, cfg.S3, abandonAfter(cfg))
	}
	if !pgdb.IsURL(cfg.Database) {
		return nil, errors.New("blob: Database is not a postgres:// URL")
	}
	return openPostgresStore(ctx, cfg.Database, defaultLayout, abandonAfter(cfg))
}

// abandonAfter is how long an upload may go without writing a segment
// before purge takes it for abandoned by a crashed node: four times the
// longest a live upload may take to bring one segment at the slowest
// progress the meter allows, and at least an hour.
func abandonAfter(cfg Config) time.Duration {
	d := 4 * cfg.ProgressInterval * time.Duration(int64(defaultLayout.segmentSize())/cfg.MinProgressBytes+1)
	return max(d, time.Hour)
}
