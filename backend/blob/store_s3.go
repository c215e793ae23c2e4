//go:build !nocluster

package blob

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	wire "github.com/kurier/kurier/protocol/blob"
)

// Object names in the bucket: an upload is written as tmpPrefix+random
// and committed by a server-side copy to blobPrefix+id+"-"+uploaded (Unix
// nanoseconds of the injected clock), so that one listing gives every
// blob's id, size and upload time.
const (
	s3BlobPrefix = "blobs/"
	s3TmpPrefix  = "tmp/"
)

// s3PartSize is the part size of an upload, and so the memory an upload
// holds: minio-go buffers one part at a time. 5 MiB is S3's smallest part.
const s3PartSize = 5 << 20

// s3MaxCopy is the largest object one CopyObject request copies on S3,
// which bounds MaxBlobBytes on this store.
const s3MaxCopy = 5 << 30

// s3UsageTTL is how long the totals of a listing are kept: reading them
// lists the whole bucket.
const s3UsageTTL = 30 * time.Second

// s3Store keeps blobs in an S3 bucket, which several blob nodes may share.
type s3Store struct {
	client       *minio.Client
	bucket       string
	abandonAfter time.Duration
	writing      atomic.Int64
	usageCache   usageCache
}

// openS3Store connects to the bucket rawURL names (see parseS3URL), which
// must exist. An upload that a crashed node left is deleted by purge once
// it is abandonAfter old.
func openS3Store(ctx context.Context, rawURL string, abandonAfter time.Duration) (*s3Store, error) {
	loc, err := parseS3URL(rawURL)
	if err != nil {
		return nil, err
	}
	client, err := minio.New(loc.endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(loc.access, loc.secret, ""),
		Secure:       loc.secure,
		Region:       loc.region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3 client: %w", err)
	}
	ok, err := client.BucketExists(ctx, loc.bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: S3 bucket %s at %s: %w", loc.bucket, loc.endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("blob: S3 bucket %s at %s does not exist", loc.bucket, loc.endpoint)
	}
	s := &s3Store{client: client, bucket: loc.bucket, abandonAfter: abandonAfter}
	s.usageCache.TTL = s3UsageTTL
	return s, nil
}

// s3BlobKey is the object name of blob id uploaded at t.
func s3BlobKey(id wire.ID, t time.Time) string {
	return s3BlobPrefix + id.String() + "-" + strconv.FormatInt(t.UnixNano(), 10)
}

// parseS3BlobKey reads the id and upload time from an object name.
func parseS3BlobKey(key string) (wire.ID, time.Time, bool) {
	name, ok := strings.CutPrefix(key, s3BlobPrefix)
	if !ok {
		return wire.ID{}, time.Time{}, false
	}
	idText, nanos, ok := strings.Cut(name, "-")
	if !ok {
		return wire.ID{}, time.Time{}, false
	}
	id, err := wire.ParseID(idText)
	if err != nil {
		return wire.ID{}, time.Time{}, false
	}
	n, err := strconv.ParseInt(nanos, 10, 64)
	if err != nil {
		return wire.ID{}, time.Time{}, false
	}
	return id, time.Unix(0, n), true
}

// capReader fails with ErrTooLarge once more than limit bytes were read,
// and remembers the error of its reader, so that a failed upload can be
// blamed on the client (read) or on the store.
type capReader struct {
	r     io.Reader
	limit int64
	n     int64
	err   error
}

// Read reads from the wrapped reader, counting.
func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		c.err = wire.ErrTooLarge
		return n, c.err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = err
	}
	return n, err
}

// s3Upload is an upload written to a temporary object.
type s3Upload struct {
	s    *s3Store
	tmp  string
	size int64
}

// write streams r (at most limit bytes) to a new temporary object, one
// part of s3PartSize at a time; it returns once the object is complete.
// The payload is not signed (DisableContentSha256; the request still is):
// hashing every part cost a third of the upload's time, and a blob is
// ciphertext whose MAC its receiver checks end to end. TLS (the default,
// secure=true) protects it on the way.
func (s *s3Store) write(ctx context.Context, r io.Reader, limit int64) (pendingUpload, int64, error) {
	s.writing.Add(1)
	tmp := s3TmpPrefix + rand.Text()
	src := &capReader{r: r, limit: limit}
	info, err := s.client.PutObject(ctx, s.bucket, tmp, src, -1, minio.PutObjectOptions{
		PartSize:             s3PartSize,
		ContentType:          "application/octet-stream",
		DisableContentSha256: true,
	})
	if err == nil && src.err != nil {
		err = src.err // a reader error minio-go did not pass on
	}
	if err != nil {
		s.discard(tmp)
		s.writing.Add(-1)
		if errors.Is(src.err, wire.ErrTooLarge) {
			return nil, 0, wire.ErrTooLarge
		}
		if src.err != nil {
			return nil, 0, uploadReadError(src.err)
		}
		return nil, 0, fmt.Errorf("blob: S3 put: %w", err)
	}
	if info.Size != src.n {
		s.discard(tmp)
		s.writing.Add(-1)
		return nil, 0, fmt.Errorf("blob: S3 put: stored %d bytes of %d", info.Size, src.n)
	}
	return &s3Upload{s: s, tmp: tmp, size: src.n}, src.n, nil
}

// discard deletes a temporary object, on its own deadline since the
// request's context may be what failed.
func (s *s3Store) discard(tmp string) {
	ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	_ = s.client.RemoveObject(ctx, s.bucket, tmp, minio.RemoveObjectOptions{})
}

// commit copies the temporary object to its blob name, stamped with now,
// unless a blob id exists (errIDTaken). Two nodes committing the same id
// at once would both succeed: ids are 128 random bits, so that never
// happens.
func (u *s3Upload) commit(ctx context.Context, id wire.ID, now time.Time) error {
	_, found, err := u.s.find(ctx, id)
	if err != nil {
		return err
	}
	if found {
		return errIDTaken
	}
	_, err = u.s.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: u.s.bucket, Object: s3BlobKey(id, now)},
		minio.CopySrcOptions{Bucket: u.s.bucket, Object: u.tmp})
	if err != nil {
		return fmt.Errorf("blob: S3 commit: %w", err)
	}
	u.s.usageCache.add(storeUsage{blobs: 1, bytes: u.size})
	return nil
}

// release deletes the temporary object; a committed blob is its copy.
func (u *s3Upload) release() {
	u.s.discard(u.tmp)
	u.s.writing.Add(-1)
}

// find looks blob id up by listing its name's prefix.
func (s *s3Store) find(ctx context.Context, id wire.ID) (minio.ObjectInfo, bool, error) {
	var obj minio.ObjectInfo
	found := false
	err := s.list(ctx, s3BlobPrefix+id.String()+"-", 1, func(o minio.ObjectInfo) bool {
		obj, found = o, true
		return false
	})
	return obj, found, err
}

// list calls fn for the objects whose names start with prefix, in pages of
// up to page names, until fn returns false.
func (s *s3Store) list(ctx context.Context, prefix string, page int, fn func(minio.ObjectInfo) bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops minio-go's listing when fn stops early
	for o := range s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true, MaxKeys: page}) {
		if o.Err != nil {
			return fmt.Errorf("blob: S3 list: %w", o.Err)
		}
		if !fn(o) {
			return nil
		}
	}
	return ctx.Err()
}

// open opens blob id for reading; minio-go's Object serves Seek with
// ranged GETs.
func (s *s3Store) open(ctx context.Context, id wire.ID) (io.ReadSeekCloser, blobInfo, error) {
	obj, found, err := s.find(ctx, id)
	if err != nil {
		return nil, blobInfo{}, err
	}
	_, uploaded, ok := parseS3BlobKey(obj.Key)
	if !found || !ok {
		return nil, blobInfo{}, wire.ErrNotFound
	}
	r, err := s.client.GetObject(ctx, s.bucket, obj.Key, minio.GetObjectOptions{})
	if err != nil {
		return nil, blobInfo{}, fmt.Errorf("blob: S3 get: %w", err)
	}
	return r, blobInfo{size: obj.Size, uploaded: uploaded}, nil
}

// remove deletes blob id, or fails with ErrNotFound.
func (s *s3Store) remove(ctx context.Context, id wire.ID) error {
	obj, found, err := s.find(ctx, id)
	if err != nil {
		return err
	}
	if !found {
		return wire.ErrNotFound
	}
	if err := s.client.RemoveObject(ctx, s.bucket, obj.Key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("blob: S3 remove: %w", err)
	}
	s.usageCache.add(storeUsage{blobs: -1, bytes: -obj.Size})
	return nil
}

// uploadsInProgress counts this node's uploads, from write to release.
func (s *s3Store) uploadsInProgress() int { return int(s.writing.Load()) }

// close has nothing to release: minio-go's connections are idle HTTP ones.
func (s *s3Store) close() error { return nil }
