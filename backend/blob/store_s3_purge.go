//go:build !nocluster

package blob

import (
	"context"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"
)

// s3ListPage is the names one listing request asks for (S3's maximum).
const s3ListPage = 1000

// s3UsageTimeout bounds a listing of the totals: about a million blobs.
const s3UsageTimeout = time.Minute

// purge deletes every blob uploaded at or before cutoff, purgeBatch at a
// time as the listing finds them, then the temporary objects and
// unfinished multipart uploads of crashed nodes: those older than
// abandonAfter by the bucket's clock.
func (s *s3Store) purge(ctx context.Context, cutoff time.Time) (int, error) {
	n, err := s.deleteListed(ctx, s3BlobPrefix, func(o minio.ObjectInfo) bool {
		_, uploaded, ok := parseS3BlobKey(o.Key)
		return ok && !uploaded.After(cutoff)
	})
	if err != nil {
		return n, err
	}
	abandoned := time.Now().Add(-s.abandonAfter)
	if _, err := s.deleteListed(ctx, s3TmpPrefix, func(o minio.ObjectInfo) bool {
		return o.LastModified.Before(abandoned)
	}); err != nil {
		return n, err
	}
	for u := range s.client.ListIncompleteUploads(ctx, s.bucket, s3TmpPrefix, true) {
		if u.Err != nil {
			return n, fmt.Errorf("blob: S3 list uploads: %w", u.Err)
		}
		if u.Initiated.Before(abandoned) {
			if err := s.client.RemoveIncompleteUpload(ctx, s.bucket, u.Key); err != nil {
				return n, fmt.Errorf("blob: S3 abort upload: %w", err)
			}
		}
	}
	return n, nil
}

// deleteListed deletes the objects under prefix that match, a batch at a
// time, and reports how many of blobs it deleted.
func (s *s3Store) deleteListed(ctx context.Context, prefix string, match func(minio.ObjectInfo) bool) (int, error) {
	n := 0
	var batch []minio.ObjectInfo
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ch := make(chan minio.ObjectInfo, len(batch))
		for _, o := range batch {
			ch <- o
		}
		close(ch)
		var firstErr error
		failed := map[string]bool{}
		for e := range s.client.RemoveObjects(ctx, s.bucket, ch, minio.RemoveObjectsOptions{}) {
			failed[e.ObjectName] = true
			if firstErr == nil {
				firstErr = e.Err
			}
		}
		for _, o := range batch {
			if !failed[o.Key] && prefix == s3BlobPrefix {
				n++
				s.usageCache.add(storeUsage{blobs: -1, bytes: -o.Size})
			}
		}
		batch = batch[:0]
		if firstErr != nil {
			return fmt.Errorf("blob: S3 purge: %w", firstErr)
		}
		return nil
	}
	var flushErr error
	err := s.list(ctx, prefix, s3ListPage, func(o minio.ObjectInfo) bool {
		if !match(o) {
			return true
		}
		batch = append(batch, o)
		if len(batch) == purgeBatch {
			flushErr = flush()
		}
		return flushErr == nil
	})
	if err == nil {
		err = flushErr
	}
	if err == nil {
		err = flush()
	}
	return n, err
}

// usage lists the bucket's blobs, at most once per s3UsageTTL: a listing
// costs a request per thousand blobs. This node's commits and deletions
// count at once, other nodes' within s3UsageTTL.
func (s *s3Store) usage(ctx context.Context) (storeUsage, error) {
	return s.usageCache.Get(ctx, func(ctx context.Context) (storeUsage, error) {
		ctx, cancel := context.WithTimeout(ctx, s3UsageTimeout)
		defer cancel()
		var u storeUsage
		err := s.list(ctx, s3BlobPrefix, s3ListPage, func(o minio.ObjectInfo) bool {
			if _, _, ok := parseS3BlobKey(o.Key); ok {
				u.blobs++
				u.bytes += o.Size
			}
			return true
		})
		return u, err
	})
}
