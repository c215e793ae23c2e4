//go:build !nocluster

package blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	wire "github.com/kurier/kurier/protocol/blob"
)

// open finds blob id's row; the reader fetches its chunks as it goes.
func (s *postgresStore) open(ctx context.Context, id wire.ID) (io.ReadSeekCloser, blobInfo, error) {
	var (
		key       int64
		chunkSize int
		info      blobInfo
	)
	err := s.pool.QueryRow(ctx, `SELECT key, size, chunk_size, uploaded_at FROM blob_objects WHERE id = $1`,
		id[:]).Scan(&key, &info.size, &chunkSize, &info.uploaded)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, blobInfo{}, wire.ErrNotFound
	}
	if err != nil {
		return nil, blobInfo{}, fmt.Errorf("blob: open: %w", err)
	}
	return s.newSegmentReader(ctx, key, info.size, chunkSize), info, nil
}

// segmentReader reads a blob from PostgreSQL one segment (one query) at a
// time, so that a slow client holds neither a connection nor a
// transaction. A blob deleted while it is read fails the next segment
// with ErrNotFound; a segment is read whole or not at all.
type segmentReader struct {
	s         *postgresStore
	ctx       context.Context
	key       int64
	size      int64
	chunkSize int64 // the blob's, as it was written
	segSize   int64 // chunkSize × the store's perSegment

	off    int64   // the next byte to read
	bp     *[]byte // the segment buffer
	pooled bool    // bp came from s.buffers
	loaded int64   // the segment in *bp, -1 for none
	n      int     // its length
}

func (s *postgresStore) newSegmentReader(ctx context.Context, key, size int64, chunkSize int) *segmentReader {
	return &segmentReader{
		s: s, ctx: ctx, key: key, size: size,
		chunkSize: int64(chunkSize), segSize: int64(chunkSize * s.layout.perSegment), loaded: -1,
	}
}

// Read reads from the segment holding the offset, fetching it first.
func (r *segmentReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	seg := r.off / r.segSize
	if seg != r.loaded {
		if err := r.fetch(seg); err != nil {
			return 0, err
		}
	}
	n := copy(p, (*r.bp)[r.off-seg*r.segSize:r.n])
	r.off += int64(n)
	return n, nil
}

// fetch loads segment seg into the buffer, checking every chunk's number
// and length.
func (r *segmentReader) fetch(seg int64) error {
	if r.bp == nil {
		if r.chunkSize == int64(r.s.layout.chunkSize) {
			r.bp, r.pooled = r.s.buffers.Get().(*[]byte), true
		} else {
			b := make([]byte, r.segSize)
			r.bp = &b
		}
	}
	r.loaded, r.n = -1, 0
	first := seg * r.segSize / r.chunkSize
	want := min(r.segSize, r.size-seg*r.segSize)
	rows, err := r.s.pool.Query(r.ctx,
		`SELECT n, data FROM blob_chunks WHERE key = $1 AND n >= $2 AND n < $3 ORDER BY n`,
		r.key, first, first+int64(r.s.layout.perSegment))
	if err != nil {
		return fmt.Errorf("blob: read segment: %w", err)
	}
	defer rows.Close()
	var (
		n    int64
		data pgtype.DriverBytes // the driver's buffer: copied, not allocated
		got  int64
	)
	for i := first; rows.Next(); i++ {
		if err := rows.Scan(&n, &data); err != nil {
			return fmt.Errorf("blob: read segment: %w", err)
		}
		if n != i || int64(len(data)) != min(r.chunkSize, want-got) {
			return fmt.Errorf("blob: chunk %d of %d bytes where chunk %d was due", n, len(data), i)
		}
		got += int64(copy((*r.bp)[got:], data))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("blob: read segment: %w", err)
	}
	if got == 0 {
		return fmt.Errorf("%w: deleted while read", wire.ErrNotFound)
	}
	if got != want {
		return fmt.Errorf("blob: segment %d of %d bytes, want %d", seg, got, want)
	}
	r.loaded, r.n = seg, int(got)
	return nil
}

// Seek moves the offset (http.ServeContent seeks for the size and Ranges).
func (r *segmentReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	default:
		return 0, errors.New("blob: seek: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("blob: seek: negative position")
	}
	r.off = offset
	return offset, nil
}

// Close returns the buffer.
func (r *segmentReader) Close() error {
	if r.pooled {
		r.s.buffers.Put(r.bp)
	}
	r.bp, r.pooled, r.loaded = nil, false, -1
	return nil
}
