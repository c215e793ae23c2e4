package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/blob/client"
	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/internal/s3test"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type testServer struct {
	*blob.Server
	client  *client.Client
	clock   *clock
	dataDir string
}

func newServer(t testing.TB, tweak func(*blob.Config)) *testServer {
	t.Helper()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	cfg := blob.Config{
		Addr:      "127.0.0.1:0",
		DataDir:   t.TempDir(),
		Now:       clk.Now,
		RateLimit: blob.RateLimit{PerSecond: 1e6, Burst: 1e6},
		// Upload bounds of their own tests only (limits_test.go).
		UploadQuota: blob.RateLimit{PerSecond: 1e12, Burst: 1 << 40},
	}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := blob.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	// Each server gets its own transport: connections dialled but never used
	// would hold up the graceful shutdown for 5 s.
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	c, err := client.New(s.URL(), client.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, client: c, clock: clk, dataDir: cfg.DataDir}
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// stream is a deterministic pseudo-random reader of n bytes.
func stream(seed uint64, n int64) io.Reader {
	var s [32]byte
	s[0] = byte(seed)
	return io.LimitReader(rand.NewChaCha8(s), n)
}

func digest(t testing.TB, r io.Reader) ([32]byte, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil)), n
}

// storeKind is a store a test server can run on.
type storeKind struct {
	name string
	// config makes a new, empty store and returns the setting that puts a
	// server on it; servers given the same setting share the store
	// (on files, only if they are given the same DataDir too).
	config func(t testing.TB) func(*blob.Config)
}

// storeKinds are the files in DataDir (the default), PostgreSQL and S3.
var storeKinds = []storeKind{
	{"files", func(testing.TB) func(*blob.Config) { return func(*blob.Config) {} }},
	{"postgres", func(t testing.TB) func(*blob.Config) {
		url := pgtest.URL(t)
		return func(c *blob.Config) { c.Database = url }
	}},
	{"s3", func(t testing.TB) func(*blob.Config) {
		url := s3test.URL(t)
		return func(c *blob.Config) { c.S3 = url }
	}},
}

// onEachStore runs test in a parallel subtest per store kind.
func onEachStore(t *testing.T, test func(t *testing.T, store func(*blob.Config))) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			test(t, k.config(t))
		})
	}
}

// noLeftovers checks that no upload is in progress and, on files, that no
// temp file is left.
func noLeftovers(t *testing.T, ts *testServer) {
	t.Helper()
	if n := ts.Stats().UploadsInProgress; n != 0 {
		t.Fatalf("%d uploads in progress", n)
	}
	if _, err := os.Stat(filepath.Join(ts.dataDir, "tmp")); err == nil {
		if left := tempFiles(t, ts.dataDir); len(left) != 0 {
			t.Fatalf("temp files left: %v", left)
		}
	}
}

func tempFiles(t *testing.T, dataDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dataDir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestRoundTrip50MiB uploads and downloads 50 MiB on each store and checks
// that neither side holds the blob in memory. It does not run in parallel
// so that the allocation counters see only this transfer.
func TestRoundTrip50MiB(t *testing.T) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) { testRoundTrip50MiB(t, k.config(t)) })
	}
}

func testRoundTrip50MiB(t *testing.T, store func(*blob.Config)) {
	const size = 50 << 20
	ts := newServer(t, store)
	ctx := context.Background()
	want, _ := digest(t, stream(1, size))

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)

	id, err := ts.client.Upload(ctx, stream(1, size))
	if err != nil {
		t.Fatal(err)
	}
	if !idPattern.MatchString(id) {
		t.Fatalf("id %q", id)
	}
	rc, err := ts.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got, n := digest(t, rc)
	_ = rc.Close()

	runtime.ReadMemStats(&after)
	if n != size || got != want {
		t.Fatalf("downloaded %d bytes, digest mismatch %v", n, got != want)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	heap := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("50 MiB round trip: %.1f MiB allocated in total, heap in use %+.1f MiB",
		float64(alloc)/(1<<20), float64(heap)/(1<<20))
	if alloc > 16<<20 || heap > 16<<20 {
		t.Fatalf("round trip allocated %d bytes (heap %+d): the blob is buffered", alloc, heap)
	}
	if st := ts.Stats(); st.BytesStored != size || st.Blobs != 1 || st.Uploads != 1 || st.Downloads != 1 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestUploadLimit(t *testing.T) {
	t.Parallel()
	onEachStore(t, testUploadLimit)
}

func testUploadLimit(t *testing.T, store func(*blob.Config)) {
	const limit = 1 << 20
	ts := newServer(t, func(c *blob.Config) { store(c); c.MaxBlobBytes = limit })
	ctx := context.Background()
	for _, size := range []int64{limit + 1, 3 * limit, 20 * limit} {
		if _, err := ts.client.Upload(ctx, stream(2, size)); !errors.Is(err, client.ErrTooLarge) {
			t.Fatalf("Upload(%d bytes) = %v, want ErrTooLarge", size, err)
		}
	}
	// A body announced as too large is refused before it is read.
	big := bytes.NewReader(make([]byte, 2*limit))
	resp, err := http.Post(ts.URL()+"upload", "multipart/form-data; boundary=x", big)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("announced oversized upload: status %d", resp.StatusCode)
	}
	noLeftovers(t, ts)
	id, err := ts.client.Upload(ctx, stream(2, limit))
	if err != nil {
		t.Fatalf("Upload at the limit: %v", err)
	}
	if st := ts.Stats(); st.Blobs != 1 || st.BytesStored != limit || st.UploadsInProgress != 0 {
		t.Fatalf("Stats = %+v", st)
	}
	rc, err := ts.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	_, n := digest(t, rc)
	_ = rc.Close()
	if n != limit {
		t.Fatalf("downloaded %d bytes", n)
	}
}

func TestDone(t *testing.T) {
	t.Parallel()
	onEachStore(t, testDone)
}

func testDone(t *testing.T, store func(*blob.Config)) {
	ts := newServer(t, store)
	ctx := context.Background()
	id, err := ts.client.Upload(ctx, strings.NewReader("ciphertext"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.client.Done(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.client.Download(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("Download after done = %v, want ErrNotFound", err)
	}
	if err := ts.client.Done(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("second Done = %v, want ErrNotFound", err)
	}
	if st := ts.Stats(); st.Blobs != 0 || st.BytesStored != 0 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestEmptyBlob(t *testing.T) {
	t.Parallel()
	onEachStore(t, testEmptyBlob)
}

func testEmptyBlob(t *testing.T, store func(*blob.Config)) {
	ts := newServer(t, store)
	ctx := context.Background()
	id, err := ts.client.Upload(ctx, bytes.NewReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ts.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	if b, _ := io.ReadAll(rc); len(b) != 0 {
		t.Fatalf("downloaded %d bytes", len(b))
	}
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	onEachStore(t, testExpiry)
}

func testExpiry(t *testing.T, store func(*blob.Config)) {
	ts := newServer(t, func(c *blob.Config) { store(c); c.Retention = 48 * time.Hour })
	ctx := context.Background()
	old, err := ts.client.Upload(ctx, strings.NewReader("old"))
	if err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(24 * time.Hour)
	fresh, err := ts.client.Upload(ctx, strings.NewReader("fresh"))
	if err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(24*time.Hour + time.Second)

	// Past retention a blob is gone for readers even before the purge runs.
	if _, err := ts.client.Download(ctx, old); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("Download of an expired blob = %v, want ErrNotFound", err)
	}
	n, err := ts.Purge()
	if err != nil || n != 1 {
		t.Fatalf("Purge = %d, %v; want 1", n, err)
	}
	rc, err := ts.client.Download(ctx, fresh)
	if err != nil {
		t.Fatalf("fresh blob purged: %v", err)
	}
	_ = rc.Close()
	if st := ts.Stats(); st.Blobs != 1 || st.BytesStored != int64(len("fresh")) || st.Purged != 1 {
		t.Fatalf("Stats = %+v", st)
	}
	ts.clock.Advance(24 * time.Hour)
	if n, err := ts.Purge(); err != nil || n != 1 {
		t.Fatalf("second Purge = %d, %v; want 1", n, err)
	}
}

func TestRestartKeepsBlobsAndDropsTempFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := newServer(t, func(c *blob.Config) { c.DataDir = dir })
	ctx := context.Background()
	id, err := ts.client.Upload(ctx, strings.NewReader("kept"))
	if err != nil {
		t.Fatal(err)
	}
	// A crash mid-upload leaves a temp file behind.
	if err := os.WriteFile(filepath.Join(dir, "tmp", "upload-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	ts2 := newServer(t, func(c *blob.Config) { c.DataDir = dir })
	if left := tempFiles(t, dir); len(left) != 0 {
		t.Fatalf("temp files after restart: %v", left)
	}
	if st := ts2.Stats(); st.Blobs != 1 || st.BytesStored != 4 {
		t.Fatalf("Stats after restart = %+v", st)
	}
	rc, err := ts2.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	_ = rc.Close()
}

// rawUpload posts a hand-made multipart body.
func rawUpload(t *testing.T, url string, build func(*multipart.Writer)) int {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	build(mw)
	_ = mw.Close()
	resp, err := http.Post(url+"upload", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	onEachStore(t, testBadRequests)
}

func testBadRequests(t *testing.T, store func(*blob.Config)) {
	ts := newServer(t, store)
	url := ts.URL()
	get := func(path string) int {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	post := func(path, ctype, body string) int {
		resp, err := http.Post(url+path, ctype, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name   string
		status int
		got    int
	}{
		{"GET unknown id", 404, get("0123456789abcdef0123456789abcdef")},
		{"GET uppercase id", 400, get("0123456789ABCDEF0123456789ABCDEF")},
		{"GET short id", 400, get("0123")},
		{"GET not hex", 400, get("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")},
		{"GET upload", 400, get("upload")},
		{"done malformed", 400, post("xyz/done", "", "")},
		{"done unknown", 404, post("0123456789abcdef0123456789abcdef/done", "", "")},
		{"upload not multipart", 400, post("upload", "application/octet-stream", "data")},
		{"upload garbage multipart", 400, post("upload", "multipart/form-data; boundary=x", "garbage")},
		{"upload without blob field", 400, rawUpload(t, url, func(mw *multipart.Writer) {
			fw, _ := mw.CreateFormFile("file", "x.bin")
			_, _ = fw.Write([]byte("data"))
		})},
		{"upload empty form", 400, rawUpload(t, url, func(*multipart.Writer) {})},
		{"upload blob after another field", 200, rawUpload(t, url, func(mw *multipart.Writer) {
			_ = mw.WriteField("note", "hello")
			fw, _ := mw.CreateFormFile("blob", "blob.bin")
			_, _ = fw.Write([]byte("data"))
		})},
		{"unknown path", 404, get("a/b/c")},
	}
	for _, tt := range tests {
		if tt.got != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, tt.got, tt.status)
		}
	}
	noLeftovers(t, ts)
	if _, err := ts.client.Download(context.Background(), "NOT-AN-ID"); !errors.Is(err, client.ErrInvalidID) {
		t.Fatalf("client Download of a malformed id = %v", err)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	ts := newServer(t, func(c *blob.Config) { c.RateLimit = blob.RateLimit{PerSecond: 0.25, Burst: 2} })
	ctx := context.Background()
	id, err := ts.client.Upload(ctx, strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ts.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	_ = rc.Close()
	var rl *client.RateLimitError
	if _, err := ts.client.Download(ctx, id); !errors.As(err, &rl) || rl.RetryAfter != 4*time.Second {
		t.Fatalf("third request = %v, want rate limited, retry after 4s", err)
	}
	ts.clock.Advance(4 * time.Second)
	if err := ts.client.Done(ctx, id); err != nil {
		t.Fatalf("after refill: %v", err)
	}
	if st := ts.Stats(); st.RateLimited != 1 || st.TrackedIPs != 1 {
		t.Fatalf("Stats = %+v", st)
	}
}

// TestRunReturnsWhenServeFails checks that Run stops its purge loop and
// returns when the listener fails instead of hanging.
func TestRunReturnsWhenServeFails(t *testing.T) {
	t.Parallel()
	s, err := blob.New(blob.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background()) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Run on a closed listener returned nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run hung after Serve failed")
	}
}
