package directory_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

// clock is an adjustable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_700_000_000, 0)} }

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
	*directory.Server
	client    *client.Client
	challenge cryptobox.KeyPair
	clock     *clock
}

// newServer starts a directory on 127.0.0.1:0 with a real SQLite store in a
// temp dir (or the store a tweak names, see forEachStore), stopped at the
// end of the test. The tweaks, nil or not, apply in order.
func newServer(t testing.TB, tweaks ...func(*directory.Config)) *testServer {
	t.Helper()
	ck, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	cfg := directory.Config{
		Addr:           "127.0.0.1:0",
		DataDir:        t.TempDir(),
		ChallengeKey:   ck,
		Now:            clk.Now,
		GeneralLimit:   directory.RateLimit{PerSecond: 1e6, Burst: 1e6},
		LookupLimit:    directory.RateLimit{PerSecond: 1e6, Burst: 1e6},
		MatchHashLimit: directory.RateLimit{PerSecond: 1e6, Burst: 1e6},
	}
	for _, tweak := range tweaks {
		if tweak != nil {
			tweak(&cfg)
		}
	}
	s, err := directory.New(cfg)
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
	return &testServer{Server: s, client: c, challenge: ck, clock: clk}
}

// forEachStore runs test on each store: db leaves the server on SQLite in
// its temp dir, or sets Config.Database to a new PostgreSQL database.
func forEachStore(t *testing.T, test func(t *testing.T, db func(*directory.Config))) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		test(t, func(*directory.Config) {})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		url := pgtest.URL(t)
		test(t, func(c *directory.Config) { c.Database = url })
	})
}

func newKeyPair(t testing.TB) cryptobox.KeyPair {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// register creates an identity for a fresh key pair.
func (ts *testServer) register(t testing.TB) (string, cryptobox.KeyPair) {
	t.Helper()
	kp := newKeyPair(t)
	id, err := ts.client.Create(context.Background(), kp)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return id, kp
}

// post sends a raw body and decodes the answer into out (if not nil).
func (ts *testServer) post(t testing.TB, path string, body []byte, out any) int {
	t.Helper()
	resp, err := http.Post(ts.URL()+path, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: answer %q: %v", path, raw, err)
		}
	}
	return resp.StatusCode
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// clientFrom returns a client whose connections come from local address ip
// (another loopback address), or skips if the system cannot bind it.
func clientFrom(t *testing.T, baseURL, ip string) *client.Client {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot bind %s: %v", ip, err)
	}
	_ = ln.Close()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	hc := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second}
	c, err := client.New(baseURL, client.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLookupInterface(t *testing.T) {
	t.Parallel()
	forEachStore(t, testLookupInterface)
}

func testLookupInterface(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	id, kp := ts.register(t)
	ctx := context.Background()
	for name, l := range map[string]wire.Lookup{"in-process": ts.Server, "http": ts.client} {
		it, err := l.LookupIdentity(ctx, id)
		if err != nil {
			t.Fatalf("%s: LookupIdentity: %v", name, err)
		}
		if it.ID != id || it.PublicKey != kp.Public || it.State != wire.StateActive || it.Type != wire.TypeRegular {
			t.Fatalf("%s: LookupIdentity = %+v", name, it)
		}
		for _, unknown := range []string{"ZZZZZZZZ", "bad", "*GATEWAY", "abcdefgh"} {
			if _, err := l.LookupIdentity(ctx, unknown); !errors.Is(err, wire.ErrNotFound) {
				t.Fatalf("%s: LookupIdentity(%q) = %v, want ErrNotFound", name, unknown, err)
			}
		}
	}
}

func TestGetUnknownIs404(t *testing.T) {
	t.Parallel()
	ts := newServer(t, nil)
	for _, path := range []string{"identity/ZZZZZZZZ", "identity/zz", "nothing/here"} {
		resp, err := http.Get(ts.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestRunReturnsWhenServeFails checks that Run returns (and closes the
// store) when the listener fails.
func TestRunReturnsWhenServeFails(t *testing.T) {
	t.Parallel()
	forEachStore(t, testRunReturnsWhenServeFails)
}

func testRunReturnsWhenServeFails(t *testing.T, db func(*directory.Config)) {
	ck := newKeyPair(t)
	cfg := directory.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), ChallengeKey: ck}
	db(&cfg)
	s, err := directory.New(cfg)
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
			t.Fatal("Run on a closed server returned nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run hung after Serve failed")
	}
	if _, err := s.LookupIdentity(context.Background(), "AAAAAAAA"); err == nil || errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("lookup on a closed store = %v, want a store error", err)
	}
}
