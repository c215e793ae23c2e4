package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
	"time"

	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/internal/s3test"
	wire "github.com/kurier/kurier/protocol/blob"
)

// testLayout cuts blobs on PostgreSQL in the contract tests: small, so
// that small blobs span several chunks and segments.
var testLayout = chunkLayout{chunkSize: 1000, perSegment: 4}

// testSegment is a full segment of testLayout; the files store has none,
// and the same sizes do.
const testSegment = 4000

// testStores are the store's implementations, each opened empty for one
// test: the contract tests run the same steps on every one.
var testStores = map[string]func(t testing.TB) blobStore{
	"files": func(t testing.TB) blobStore {
		st, err := openFilesStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return st
	},
	"postgres": func(t testing.TB) blobStore { return openTestPostgres(t, pgtest.URL(t), time.Hour) },
	"s3":       func(t testing.TB) blobStore { return openTestS3(t, s3test.URL(t)) },
}

// openTestPostgres opens a PostgreSQL store on url cut as testLayout,
// closed at the end of the test.
func openTestPostgres(t testing.TB, url string, abandonAfter time.Duration) *postgresStore {
	t.Helper()
	st, err := openPostgresStore(context.Background(), url, testLayout, abandonAfter)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.close() })
	return st
}

// forEachStore runs test on a new store of every implementation.
func forEachStore(t *testing.T, test func(t *testing.T, st blobStore)) {
	for name, open := range testStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, open(t))
		})
	}
}

// randomBytes is n deterministic pseudo-random bytes.
func randomBytes(seed byte, n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

// put writes and commits data as id, stamped at.
func put(t *testing.T, st blobStore, id wire.ID, data []byte, at time.Time) {
	t.Helper()
	ctx := context.Background()
	up, n, err := st.write(ctx, bytes.NewReader(data), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	defer up.release()
	if n != int64(len(data)) {
		t.Fatalf("wrote %d bytes, want %d", n, len(data))
	}
	if err := up.commit(ctx, id, at); err != nil {
		t.Fatal(err)
	}
}

// read reads blob id whole.
func read(t *testing.T, st blobStore, id wire.ID) ([]byte, blobInfo, error) {
	t.Helper()
	r, info, err := st.open(context.Background(), id)
	if err != nil {
		return nil, info, err
	}
	defer func() { _ = r.Close() }()
	b, err := io.ReadAll(r)
	return b, info, err
}

func wantUsage(t *testing.T, st blobStore, blobs, bytes int64) {
	t.Helper()
	u, err := st.usage(context.Background())
	if err != nil || u.blobs != blobs || u.bytes != bytes {
		t.Fatalf("usage = %+v, %v; want %d blobs, %d bytes", u, err, blobs, bytes)
	}
}

var t0 = time.Unix(1_700_000_000, 0)

func TestStoreRoundTrip(t *testing.T) {
	t.Parallel()
	forEachStore(t, testStoreRoundTrip)
}

func testStoreRoundTrip(t *testing.T, st blobStore) {
	ctx := context.Background()
	// Sizes around the chunk and segment boundaries, and none.
	sizes := []int{0, 1, 999, 1000, 1001, testSegment - 1, testSegment, testSegment + 1, 5*testSegment + 123}
	var total int64
	for i, size := range sizes {
		id := wire.ID{byte(i + 1)}
		data := randomBytes(byte(i), size)
		at := t0.Add(time.Duration(i) * time.Second)
		put(t, st, id, data, at)
		total += int64(size)
		got, info, err := read(t, st, id)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: read %d bytes, %v; equal %v", size, len(got), err, bytes.Equal(got, data))
		}
		if info.size != int64(size) || !info.uploaded.Equal(at) {
			t.Fatalf("size %d: info %+v, want uploaded %s", size, info, at)
		}
	}
	wantUsage(t, st, int64(len(sizes)), total)
	if _, _, err := st.open(ctx, wire.ID{0xff}); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("open unknown = %v, want ErrNotFound", err)
	}
	last := wire.ID{byte(len(sizes))}
	if err := st.remove(ctx, last); err != nil {
		t.Fatal(err)
	}
	if err := st.remove(ctx, last); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("second remove = %v, want ErrNotFound", err)
	}
	if _, _, err := st.open(ctx, last); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("open removed = %v, want ErrNotFound", err)
	}
	wantUsage(t, st, int64(len(sizes)-1), total-int64(sizes[len(sizes)-1]))
	if st.uploadsInProgress() != 0 {
		t.Fatalf("%d uploads in progress", st.uploadsInProgress())
	}
}

func TestStorePendingUpload(t *testing.T) {
	t.Parallel()
	forEachStore(t, testStorePendingUpload)
}

// testStorePendingUpload: a written upload is invisible until its commit,
// a taken id is refused without harm, and release deletes an upload never
// committed.
func testStorePendingUpload(t *testing.T, st blobStore) {
	ctx := context.Background()
	taken := wire.ID{1}
	put(t, st, taken, []byte("first"), t0)
	data := randomBytes(7, 3*testSegment)
	up, _, err := st.write(ctx, bytes.NewReader(data), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if st.uploadsInProgress() != 1 {
		t.Fatalf("%d uploads in progress, want 1", st.uploadsInProgress())
	}
	wantUsage(t, st, 1, 5)
	if err := up.commit(ctx, taken, t0); !errors.Is(err, errIDTaken) {
		t.Fatalf("commit under a taken id = %v, want errIDTaken", err)
	}
	if got, _, err := read(t, st, taken); err != nil || string(got) != "first" {
		t.Fatalf("the taken id reads %q, %v", got, err)
	}
	if err := up.commit(ctx, wire.ID{2}, t0); err != nil {
		t.Fatal(err)
	}
	up.release()
	if got, _, err := read(t, st, wire.ID{2}); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}

	// An upload released without a commit is gone.
	up, _, err = st.write(ctx, bytes.NewReader(data), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	up.release()
	if st.uploadsInProgress() != 0 {
		t.Fatalf("%d uploads in progress after release", st.uploadsInProgress())
	}
	wantUsage(t, st, 2, 5+int64(len(data)))
	if pg, ok := st.(*postgresStore); ok {
		wantRows(t, pg, 2, 1+12)
	}
}

// wantRows checks the PostgreSQL store's rows: nothing an upload left.
func wantRows(t *testing.T, st *postgresStore, objects, chunks int) {
	t.Helper()
	var o, c int
	err := st.pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM blob_objects), (SELECT count(*) FROM blob_chunks)`).Scan(&o, &c)
	if err != nil || o != objects || c != chunks {
		t.Fatalf("%d blob_objects and %d blob_chunks rows, %v; want %d and %d", o, c, err, objects, chunks)
	}
}

func TestStoreFailedWrites(t *testing.T) {
	t.Parallel()
	forEachStore(t, testStoreFailedWrites)
}

// testStoreFailedWrites: an upload above the limit and one whose body
// breaks off fail and leave nothing behind.
func testStoreFailedWrites(t *testing.T, st blobStore) {
	ctx := context.Background()
	// Limits inside a segment and at its end.
	for _, limit := range []int64{2*testSegment + 10, 2 * testSegment} {
		if _, _, err := st.write(ctx, bytes.NewReader(randomBytes(1, int(limit)+1)), limit); !errors.Is(err, wire.ErrTooLarge) {
			t.Fatalf("write above the limit %d = %v, want ErrTooLarge", limit, err)
		}
		up, n, err := st.write(ctx, bytes.NewReader(randomBytes(1, int(limit))), limit)
		if err != nil || n != limit {
			t.Fatalf("write at the limit %d = %d, %v", limit, n, err)
		}
		up.release()
	}
	broken := io.MultiReader(bytes.NewReader(randomBytes(2, 3*testSegment)), iotest.ErrReader(errors.New("connection reset")))
	if _, _, err := st.write(ctx, broken, 1<<30); !errors.Is(err, wire.ErrMalformedUpload) {
		t.Fatalf("write of a broken body = %v, want ErrMalformedUpload", err)
	}
	// A bound of the upload meter keeps its own error.
	full := io.MultiReader(bytes.NewReader(randomBytes(3, 100)), iotest.ErrReader(wire.ErrFull))
	if _, _, err := st.write(ctx, full, 1<<30); !errors.Is(err, wire.ErrFull) {
		t.Fatalf("write refused by the meter = %v, want ErrFull", err)
	}
	wantUsage(t, st, 0, 0)
	if st.uploadsInProgress() != 0 {
		t.Fatalf("%d uploads in progress", st.uploadsInProgress())
	}
	if pg, ok := st.(*postgresStore); ok {
		wantRows(t, pg, 0, 0)
	}
}

func TestStoreSeek(t *testing.T) {
	t.Parallel()
	forEachStore(t, testStoreSeek)
}

// testStoreSeek reads ranges, as http.ServeContent does for Range
// requests: across chunk boundaries, from the end, past the end.
func testStoreSeek(t *testing.T, st blobStore) {
	data := randomBytes(9, 4*testSegment+77)
	put(t, st, wire.ID{1}, data, t0)
	r, _, err := st.open(context.Background(), wire.ID{1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	if end, err := r.Seek(0, io.SeekEnd); err != nil || end != int64(len(data)) {
		t.Fatalf("Seek(0, End) = %d, %v", end, err)
	}
	for _, rg := range [][2]int{{0, 10}, {995, 10}, {testSegment - 5, 10}, {3*testSegment + 1, testSegment + 76}, {100, 2 * testSegment}} {
		if _, err := r.Seek(int64(rg[0]), io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, rg[1])
		if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, data[rg[0]:rg[0]+rg[1]]) {
			t.Fatalf("range %v: %v, equal %v", rg, err, bytes.Equal(got, data[rg[0]:rg[0]+rg[1]]))
		}
	}
	if _, err := r.Seek(-3, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	if rest, err := io.ReadAll(r); err != nil || !bytes.Equal(rest, data[len(data)-3:]) {
		t.Fatalf("last 3 bytes: %x, %v", rest, err)
	}
	if n, err := r.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("read at the end = %d, %v; want EOF", n, err)
	}
	if _, err := r.Seek(-1, io.SeekStart); err == nil {
		t.Fatal("seek before the start succeeded")
	}
}

func TestStorePurge(t *testing.T) {
	t.Parallel()
	forEachStore(t, testStorePurge)
}

// testStorePurge: purge deletes exactly the blobs at or before the cutoff,
// more of them than one batch.
func testStorePurge(t *testing.T, st blobStore) {
	ctx := context.Background()
	const old, fresh = purgeBatch*2 + 7, 5
	for i := range old + fresh {
		at := t0
		if i >= old {
			at = t0.Add(time.Second)
		}
		put(t, st, wire.ID{byte(i), byte(i >> 8), 1}, []byte("blob"), at)
	}
	n, err := st.purge(ctx, t0)
	if err != nil || n != old {
		t.Fatalf("purge = %d, %v; want %d", n, err, old)
	}
	wantUsage(t, st, fresh, 4*fresh)
	if _, _, err := st.open(ctx, wire.ID{0, 0, 1}); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("open purged = %v", err)
	}
	if _, _, err := read(t, st, wire.ID{byte(old), byte(old >> 8), 1}); err != nil {
		t.Fatalf("fresh blob: %v", err)
	}
	if n, err := st.purge(ctx, t0); err != nil || n != 0 {
		t.Fatalf("second purge = %d, %v", n, err)
	}
}
