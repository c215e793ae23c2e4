package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/kurier/kurier/internal/pgtest"
	wire "github.com/kurier/kurier/protocol/blob"
)

// TestPostgresAbandonedUpload: an upload whose node crashed (never
// committed, never released) is invisible, and purge deletes it with its
// chunks once it has written nothing for abandonAfter; a live upload
// whose row was taken for abandoned fails instead of committing.
func TestPostgresAbandonedUpload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	const abandon = 300 * time.Millisecond
	crashed := openTestPostgres(t, url, abandon)
	other := openTestPostgres(t, url, abandon)
	put(t, other, wire.ID{1}, []byte("kept"), t0)

	up, _, err := crashed.write(ctx, bytes.NewReader(randomBytes(1, 3*testSegment)), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	// Two segments written, the third still in the crashed node's memory.
	wantRows(t, other, 2, 1+8)
	wantUsage(t, other, 1, 4)
	if n, err := other.purge(ctx, t0.Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("purge = %d, %v", n, err)
	}
	wantRows(t, other, 2, 1+8) // not yet abandoned
	time.Sleep(abandon + 100*time.Millisecond)
	if _, err := other.purge(ctx, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantRows(t, other, 1, 1)
	if err := up.commit(ctx, wire.ID{2}, t0); !errors.Is(err, errUploadGone) {
		t.Fatalf("commit of a reaped upload = %v, want errUploadGone", err)
	}
	up.release()
}

// TestPostgresDeletedWhileRead: a blob deleted (by any node) while it is
// read fails the read at its next segment, never returning other bytes.
func TestPostgresDeletedWhileRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openTestPostgres(t, url, time.Hour), openTestPostgres(t, url, time.Hour)
	data := randomBytes(4, 3*testSegment)
	put(t, a, wire.ID{1}, data, t0)
	r, _, err := a.open(ctx, wire.ID{1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	first := make([]byte, testSegment)
	if _, err := io.ReadFull(r, first); err != nil || !bytes.Equal(first, data[:testSegment]) {
		t.Fatalf("first segment: %v", err)
	}
	if err := b.remove(ctx, wire.ID{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("read after delete = %v, want ErrNotFound", err)
	}
}

// TestPostgresSharedUsage: a node sees its own commits and deletions in
// usage at once, another node's within usageCacheTTL.
func TestPostgresSharedUsage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openTestPostgres(t, url, time.Hour), openTestPostgres(t, url, time.Hour)
	wantUsage(t, a, 0, 0)
	wantUsage(t, b, 0, 0)
	put(t, a, wire.ID{1}, make([]byte, 1000), t0)
	wantUsage(t, a, 1, 1000)
	deadline := time.Now().Add(usageCacheTTL + time.Second)
	for {
		u, err := b.usage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if u == (storeUsage{blobs: 1, bytes: 1000}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other node's usage is still %+v", u)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := b.remove(ctx, wire.ID{1}); err != nil {
		t.Fatal(err)
	}
	wantUsage(t, b, 0, 0)
}

// TestPostgresLayoutChange: a blob is read as it was cut, whatever the
// reading node's layout.
func TestPostgresLayoutChange(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	small := openTestPostgres(t, url, time.Hour)
	big, err := openPostgresStore(context.Background(), url, defaultLayout, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = big.close() })
	a, b := randomBytes(5, 3*testSegment+5), randomBytes(6, defaultLayout.segmentSize()+8001)
	put(t, small, wire.ID{1}, a, t0)
	put(t, big, wire.ID{2}, b, t0)
	for _, c := range []struct {
		st   blobStore
		id   wire.ID
		want []byte
	}{{big, wire.ID{1}, a}, {small, wire.ID{2}, b}} {
		if got, _, err := read(t, c.st, c.id); err != nil || !bytes.Equal(got, c.want) {
			t.Fatalf("blob %x: %d bytes, %v", c.id[0], len(got), err)
		}
	}
}
