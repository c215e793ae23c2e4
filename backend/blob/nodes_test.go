package blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/blob/client"
	"github.com/kurier/kurier/internal/pgtest"
)

// newNodes starts n blob servers on one new PostgreSQL database, with one
// clock, and returns them and a pool on the database for checks.
func newNodes(t *testing.T, n int, tweak func(*blob.Config)) ([]*testServer, *pgxpool.Pool) {
	t.Helper()
	url := pgtest.URL(t)
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	nodes := make([]*testServer, n)
	for i := range nodes {
		nodes[i] = newServer(t, func(c *blob.Config) {
			c.Database, c.Now = url, clk.Now
			if tweak != nil {
				tweak(c)
			}
		})
		nodes[i].clock = clk
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return nodes, pool
}

// rows counts the blob tables' rows: uploads (committed or not), pending
// uploads and chunks.
func rows(t *testing.T, pool *pgxpool.Pool) (objects, pending, chunks int) {
	t.Helper()
	err := pool.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM blob_objects), (SELECT count(*) FROM blob_objects WHERE id IS NULL),
		(SELECT count(*) FROM blob_chunks)`).Scan(&objects, &pending, &chunks)
	if err != nil {
		t.Fatal(err)
	}
	return objects, pending, chunks
}

// eventually retries check every 20 ms until it returns nil or 5 s pass.
func eventually(t *testing.T, check func() error) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNodesShareBlobs: a 5 MiB blob (several chunks) uploaded through node
// A downloads byte-identical through node B, Range requests included;
// "done" through B deletes it for A too; and uploads through both nodes at
// once are each served by the other.
func TestNodesShareBlobs(t *testing.T) {
	t.Parallel()
	const size = 5 << 20
	nodes, pool := newNodes(t, 2, nil)
	a, b := nodes[0], nodes[1]
	ctx := context.Background()
	want, _ := digest(t, stream(21, size))
	id, err := a.client.Upload(ctx, stream(21, size))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := b.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got, n := digest(t, rc)
	_ = rc.Close()
	if n != size || got != want {
		t.Fatalf("node B served %d bytes, identical %v", n, got == want)
	}

	// A range across the first chunk boundary, through B.
	all, err := io.ReadAll(stream(21, size))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, b.URL()+id, nil)
	req.Header.Set("Range", "bytes=1048570-1048585")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, all[1048570:1048586]) {
		t.Fatalf("range through B: status %d, %d bytes, equal %v", resp.StatusCode, len(part), bytes.Equal(part, all[1048570:1048586]))
	}

	eventually(t, func() error {
		if st := b.Stats(); st.Blobs != 1 || st.BytesStored != size {
			return fmt.Errorf("node B's Stats = %+v, want A's blob counted", st)
		}
		return nil
	})
	if err := b.client.Done(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.client.Download(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("download through A after done through B = %v, want ErrNotFound", err)
	}
	if err := a.client.Done(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("done through A after done through B = %v, want ErrNotFound", err)
	}
	if o, _, c := rows(t, pool); o != 0 || c != 0 {
		t.Fatalf("%d blob_objects and %d blob_chunks rows left", o, c)
	}

	// Uploads through both nodes at once, each fetched through the other.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		up, down := nodes[i%2], nodes[1-i%2]
		wg.Go(func() {
			data := fmt.Appendf(nil, "blob %d", i)
			id, err := up.client.Upload(ctx, bytes.NewReader(data))
			if err != nil {
				errs <- err
				return
			}
			rc, err := down.client.Download(ctx, id)
			if err != nil {
				errs <- err
				return
			}
			got, _ := io.ReadAll(rc)
			_ = rc.Close()
			if !bytes.Equal(got, data) {
				errs <- fmt.Errorf("blob %d read %q through the other node", i, got)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestNodesExpiry: either node's purge expires the blobs uploaded through
// any node, and only those past retention.
func TestNodesExpiry(t *testing.T) {
	t.Parallel()
	nodes, _ := newNodes(t, 2, func(c *blob.Config) { c.Retention = 48 * time.Hour })
	a, b := nodes[0], nodes[1]
	ctx := context.Background()
	old, err := a.client.Upload(ctx, bytes.NewReader([]byte("old")))
	if err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(24 * time.Hour)
	fresh, err := b.client.Upload(ctx, bytes.NewReader([]byte("fresh")))
	if err != nil {
		t.Fatal(err)
	}
	a.clock.Advance(24*time.Hour + time.Second)
	if n, err := b.Purge(); err != nil || n != 1 {
		t.Fatalf("purge through B = %d, %v; want 1", n, err)
	}
	// Deleted, not only expired: done (which ignores retention) finds nothing.
	if err := a.client.Done(ctx, old); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("done through A of the purged blob = %v, want ErrNotFound", err)
	}
	if n, err := a.Purge(); err != nil || n != 0 {
		t.Fatalf("purge through A = %d, %v; want 0", n, err)
	}
	rc, err := a.client.Download(ctx, fresh)
	if err != nil {
		t.Fatalf("the fresh blob: %v", err)
	}
	_ = rc.Close()
	a.clock.Advance(24 * time.Hour)
	if n, err := a.Purge(); err != nil || n != 1 {
		t.Fatalf("second purge through A = %d, %v; want 1", n, err)
	}
	if err := b.client.Done(ctx, fresh); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("done through B of the blob A purged = %v, want ErrNotFound", err)
	}
	if st := b.Stats(); st.Purged != 1 {
		t.Fatalf("node B's Stats = %+v, want its one purged blob", st)
	}
	// B's own deletions show at once, A's within a second.
	eventually(t, func() error {
		if st := b.Stats(); st.Blobs != 0 || st.BytesStored != 0 {
			return fmt.Errorf("node B's Stats = %+v, want nothing stored", st)
		}
		return nil
	})
}

// TestNodesCancelledUpload: an upload whose client goes away after
// several chunks were written is seen by no node, and its rows are
// deleted; the node that took it counts no upload in progress afterwards.
func TestNodesCancelledUpload(t *testing.T) {
	t.Parallel()
	nodes, pool := newNodes(t, 2, nil)
	a, b := nodes[0], nodes[1]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := a.client.Upload(ctx, pr)
		done <- err
	}()
	// Feed 3 MiB, then wait until A has written chunks of them.
	if _, err := io.Copy(pw, stream(31, 3<<20)); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() error {
		if _, pending, chunks := rows(t, pool); pending != 1 || chunks < 2 {
			return fmt.Errorf("%d pending uploads, %d chunks; want the upload under way", pending, chunks)
		}
		return nil
	})
	if st := a.Stats(); st.UploadsInProgress != 1 || st.Blobs != 0 {
		t.Fatalf("node A's Stats mid-upload = %+v", st)
	}
	if st := b.Stats(); st.Blobs != 0 || st.BytesStored != 0 {
		t.Fatalf("node B sees a half-written upload: %+v", st)
	}
	// The cancel drops the connection at once; the client itself returns
	// only once its body (the pipe) ends.
	cancel()
	eventually(t, func() error {
		if o, _, c := rows(t, pool); o != 0 || c != 0 {
			return fmt.Errorf("%d blob_objects and %d blob_chunks rows left", o, c)
		}
		if n := a.Stats().UploadsInProgress; n != 0 {
			return fmt.Errorf("%d uploads in progress on A", n)
		}
		return nil
	})
	_ = pw.Close()
	if err := <-done; err == nil {
		t.Fatal("a cancelled upload returned an id")
	}
	if st := b.Stats(); st.Blobs != 0 {
		t.Fatalf("node B's Stats = %+v", st)
	}
}

// TestNodesWatermark: the storage watermark bounds the blobs of all nodes
// together; the rate limits stay per node.
func TestNodesWatermark(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	nodes, _ := newNodes(t, 2, func(c *blob.Config) {
		c.MaxBlobBytes = mib
		c.MaxTotalBytes = 2*mib + 100<<10
	})
	a, b := nodes[0], nodes[1]
	ctx := context.Background()
	for i := range 2 {
		if _, err := a.client.Upload(ctx, stream(uint64(i), mib-1000)); err != nil {
			t.Fatalf("upload %d through A: %v", i, err)
		}
	}
	// B learns of A's blobs within a second.
	eventually(t, func() error {
		_, err := b.client.Upload(ctx, stream(9, mib-1000))
		if !errors.Is(err, client.ErrFull) {
			return fmt.Errorf("upload through B past the shared watermark = %v, want ErrFull", err)
		}
		return nil
	})
	if st := b.Stats(); st.UploadsRefusedFull < 1 || st.Blobs != 2 {
		t.Fatalf("node B's Stats = %+v", st)
	}
}

// TestDatabaseConfig: with Database no DataDir is needed, and a Database
// that is not a postgres:// URL is refused rather than taken for files.
func TestDatabaseConfig(t *testing.T) {
	t.Parallel()
	if _, err := blob.New(blob.Config{Addr: "127.0.0.1:0", Database: "/var/lib/kurier/blobs"}); err == nil {
		t.Fatal("New took a Database that is not a URL")
	}
	if _, err := blob.New(blob.Config{Addr: "127.0.0.1:0"}); err == nil {
		t.Fatal("New took neither DataDir nor Database")
	}
	s, err := blob.New(blob.Config{Addr: "127.0.0.1:0", Database: pgtest.URL(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
