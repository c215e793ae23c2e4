package blob

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	wire "github.com/kurier/kurier/protocol/blob"
)

// tempPrefix starts the name of every upload in progress.
const tempPrefix = "upload-"

// writeBufferSize is the size of the writes to a temp file.
const writeBufferSize = 256 << 10

// filesStore keeps blobs as files: DataDir/blobs/{id[:2]}/{id}, each
// written to DataDir/tmp first. A blob's modification time is its upload
// time (from the injected clock), which drives retention.
type filesStore struct {
	blobs string
	tmp   string
	bytes atomic.Int64
	count atomic.Int64
}

// openFilesStore creates the directories, removes uploads a crash left
// behind and counts the stored blobs.
func openFilesStore(dataDir string) (*filesStore, error) {
	s := &filesStore{blobs: filepath.Join(dataDir, "blobs"), tmp: filepath.Join(dataDir, "tmp")}
	for _, d := range []string{s.blobs, s.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("blob: open store: %w", err)
		}
	}
	leftovers, err := os.ReadDir(s.tmp)
	if err != nil {
		return nil, fmt.Errorf("blob: open store: %w", err)
	}
	for _, e := range leftovers {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			_ = os.Remove(filepath.Join(s.tmp, e.Name()))
		}
	}
	err = s.walk(func(_ string, info fs.FileInfo) {
		s.bytes.Add(info.Size())
		s.count.Add(1)
	})
	if err != nil {
		return nil, fmt.Errorf("blob: open store: %w", err)
	}
	return s, nil
}

func (s *filesStore) path(id wire.ID) string {
	name := id.String()
	return filepath.Join(s.blobs, name[:2], name)
}

// readErrRecorder remembers the error of its reader, so that a failed copy
// can be blamed on the client (read) or on the storage (write).
type readErrRecorder struct {
	r   io.Reader
	err error
}

// Read reads from the wrapped reader and remembers a failure.
func (r *readErrRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return n, err
}

// fileUpload is a written temp file.
type fileUpload struct {
	s    *filesStore
	tmp  string
	size int64
}

// write streams r (at most limit bytes) into a new temp file and fsyncs
// it. Above limit it removes the file and fails with ErrTooLarge.
func (s *filesStore) write(_ context.Context, r io.Reader, limit int64) (pendingUpload, int64, error) {
	f, err := os.CreateTemp(s.tmp, tempPrefix+"*")
	if err != nil {
		return nil, 0, fmt.Errorf("blob: create temp file: %w", err)
	}
	name := f.Name()
	fail := func(err error) (pendingUpload, int64, error) {
		_ = f.Close()
		_ = os.Remove(name)
		return nil, 0, err
	}
	src := &readErrRecorder{r: io.LimitReader(r, limit+1)}
	// Multipart parts arrive in pieces of a few KiB: gather them into large
	// writes. The struct hides (*os.File).ReadFrom, which would bypass the buffer.
	buf := bufio.NewWriterSize(struct{ io.Writer }{f}, writeBufferSize)
	n, err := io.Copy(buf, src)
	if err == nil {
		err = buf.Flush()
	}
	if err != nil {
		if src.err != nil {
			return fail(uploadReadError(src.err))
		}
		return fail(fmt.Errorf("blob: write temp file: %w", err))
	}
	if n > limit {
		return fail(wire.ErrTooLarge)
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("blob: sync: %w", err))
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(name)
		return nil, 0, fmt.Errorf("blob: close temp file: %w", err)
	}
	return &fileUpload{s: s, tmp: name, size: n}, n, nil
}

// commit makes the temp file visible as blob id, stamped with now. It
// never replaces an existing blob (errIDTaken).
func (u *fileUpload) commit(_ context.Context, id wire.ID, now time.Time) error {
	if err := os.Chtimes(u.tmp, now, now); err != nil {
		return fmt.Errorf("blob: stamp: %w", err)
	}
	final := u.s.path(id)
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("blob: commit: %w", err)
	}
	// A hard link fails if the name exists, where rename would overwrite.
	if err := os.Link(u.tmp, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return errIDTaken
		}
		return fmt.Errorf("blob: commit: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	u.s.bytes.Add(u.size)
	u.s.count.Add(1)
	return nil
}

// release removes the temp name; a committed blob keeps its own link.
func (u *fileUpload) release() { _ = os.Remove(u.tmp) }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: sync dir: %w", err)
	}
	return nil
}

// open opens blob id with its upload time, or fails with ErrNotFound.
func (s *filesStore) open(_ context.Context, id wire.ID) (io.ReadSeekCloser, blobInfo, error) {
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, blobInfo{}, wire.ErrNotFound
	}
	if err != nil {
		return nil, blobInfo{}, fmt.Errorf("blob: open: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, blobInfo{}, fmt.Errorf("blob: open: %w", err)
	}
	return f, blobInfo{size: info.Size(), uploaded: info.ModTime()}, nil
}

// remove deletes blob id, or fails with ErrNotFound.
func (s *filesStore) remove(_ context.Context, id wire.ID) error {
	return s.removePath(s.path(id))
}

func (s *filesStore) removePath(p string) error {
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return wire.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("blob: remove: %w", err)
	}
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return wire.ErrNotFound
		}
		return fmt.Errorf("blob: remove: %w", err)
	}
	s.bytes.Add(-info.Size())
	s.count.Add(-1)
	return nil
}

// purge deletes every blob uploaded at or before cutoff and reports how
// many. Uploads a crash abandoned are removed when the store is opened.
func (s *filesStore) purge(_ context.Context, cutoff time.Time) (int, error) {
	// Deleted as found, one shard's listing at a time, so that a store of
	// millions of small blobs never has all their names in memory.
	n := 0
	var firstErr error
	err := s.walk(func(p string, info fs.FileInfo) {
		if info.ModTime().After(cutoff) || firstErr != nil {
			return
		}
		if err := s.removePath(p); err == nil {
			n++
		} else if !errors.Is(err, wire.ErrNotFound) {
			firstErr = err
		}
	})
	if err == nil {
		err = firstErr
	}
	if err != nil {
		return n, fmt.Errorf("blob: purge: %w", err)
	}
	return n, nil
}

// walk calls fn for every stored blob.
func (s *filesStore) walk(fn func(path string, info fs.FileInfo)) error {
	shards, err := os.ReadDir(s.blobs)
	if err != nil {
		return err
	}
	for _, sh := range shards {
		if !sh.IsDir() {
			continue
		}
		dir := filepath.Join(s.blobs, sh.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if _, err := wire.ParseID(e.Name()); err != nil || !e.Type().IsRegular() {
				continue
			}
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			fn(filepath.Join(dir, e.Name()), info)
		}
	}
	return nil
}

// usage reports the counts kept since the store was opened.
func (s *filesStore) usage(context.Context) (storeUsage, error) {
	return storeUsage{blobs: s.count.Load(), bytes: s.bytes.Load()}, nil
}

// uploadsInProgress counts the temp files.
func (s *filesStore) uploadsInProgress() int {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return 0
	}
	return len(entries)
}

// close has nothing to release: every file is closed after each use.
func (s *filesStore) close() error { return nil }
