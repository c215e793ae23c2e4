package directory_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	wire "github.com/kurier/kurier/protocol/directory"
)

func TestLookupRateLimit(t *testing.T) {
	t.Parallel()
	forEachStore(t, testLookupRateLimit)
}

func testLookupRateLimit(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, func(c *directory.Config) {
		c.LookupLimit = directory.RateLimit{PerSecond: 0.1, Burst: 3}
	})
	ctx := context.Background()
	id, kp := ts.register(t)
	for i := range 3 {
		if _, err := ts.client.LookupIdentity(ctx, id); err != nil {
			t.Fatalf("lookup %d: %v", i, err)
		}
	}
	// Every lookup-class endpoint now answers 429 with Retry-After.
	_, err := ts.client.LookupIdentity(ctx, id)
	var rl *client.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, wire.ErrRateLimited) || rl.RetryAfter != 10*time.Second {
		t.Fatalf("4th lookup = %v, want rate limited with Retry-After 10s", err)
	}
	if _, err := ts.client.FetchBulk(ctx, []string{id}); !errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("FetchBulk = %v, want rate limited", err)
	}
	// Matching by hashes has its own budget, untouched by lookups.
	if _, err := ts.client.Match(ctx, wire.HashEmail("x@example.com"), nil); err != nil {
		t.Fatalf("Match while lookups are limited = %v", err)
	}
	resp, err := http.Get(ts.URL() + "identity/" + id)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if s, _ := strconv.Atoi(resp.Header.Get("Retry-After")); resp.StatusCode != http.StatusTooManyRequests || s < 1 {
		t.Fatalf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	// Other endpoint classes keep working.
	if err := ts.client.SetFeatureMask(ctx, id, kp, 1); err != nil {
		t.Fatalf("SetFeatureMask while lookups are limited: %v", err)
	}
	ts.register(t)

	// Other client addresses keep their own budget.
	other := clientFrom(t, ts.URL(), "127.0.0.2")
	if _, err := other.LookupIdentity(ctx, id); err != nil {
		t.Fatalf("lookup from another address: %v", err)
	}

	// The budget refills with time.
	ts.clock.Advance(10 * time.Second)
	if _, err := ts.client.LookupIdentity(ctx, id); err != nil {
		t.Fatalf("lookup after refill: %v", err)
	}
	if st := ts.Stats(); st.RateLimitedLookup < 3 || st.TrackedIPs < 2 {
		t.Fatalf("Stats = %+v", st)
	}
}

func TestGeneralRateLimit(t *testing.T) {
	t.Parallel()
	forEachStore(t, testGeneralRateLimit)
}

func testGeneralRateLimit(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, func(c *directory.Config) {
		c.GeneralLimit = directory.RateLimit{PerSecond: 0.5, Burst: 4}
	})
	ctx := context.Background()
	id, _ := ts.register(t) // two requests
	_, _ = ts.client.LookupIdentity(ctx, id)
	_, _ = ts.client.LookupIdentity(ctx, id)
	var rl *client.RateLimitError
	if _, err := ts.client.Create(ctx, newKeyPair(t)); !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("Create = %v, want rate limited, retry after 2s", err)
	}
	if _, err := ts.client.LookupIdentity(ctx, id); !errors.Is(err, client.ErrRateLimited) {
		t.Fatalf("lookup = %v, want rate limited", err)
	}
	if got := ts.Stats().RateLimitedGeneral; got != 2 {
		t.Fatalf("RateLimitedGeneral = %d, want 2", got)
	}
}

func TestMatchHashBudget(t *testing.T) {
	t.Parallel()
	forEachStore(t, testMatchHashBudget)
}

func testMatchHashBudget(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, func(c *directory.Config) {
		c.MaxBatch = 10
		c.MatchHashLimit = directory.RateLimit{PerSecond: 1, Burst: 10}
	})
	ctx := context.Background()
	id, _ := ts.register(t)
	hashes := func(n int) [][]byte {
		hs := make([][]byte, n)
		for i := range hs {
			hs[i] = wire.HashPhone(strconv.Itoa(4179000000 + i))
		}
		return hs
	}
	if _, err := ts.client.Match(ctx, nil, hashes(8)); err != nil {
		t.Fatal(err)
	}
	var rl *client.RateLimitError
	if _, err := ts.client.Match(ctx, hashes(2), hashes(3)); !errors.As(err, &rl) || rl.RetryAfter != 3*time.Second {
		t.Fatalf("Match over the hash budget = %v, want rate limited, retry after 3s", err)
	}
	if _, err := ts.client.Match(ctx, nil, hashes(2)); err != nil {
		t.Fatalf("Match within the remaining budget: %v", err)
	}
	if _, err := ts.client.LookupIdentity(ctx, id); err != nil {
		t.Fatalf("lookup while the hash budget is spent: %v", err)
	}
	if got := ts.Stats().RateLimitedMatch; got != 1 {
		t.Fatalf("RateLimitedMatch = %d, want 1", got)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	ts := newServer(t, func(c *directory.Config) {
		c.MaxBatch = 10
		c.MaxBodyBytes = 4096
	})
	id, _ := ts.register(t)
	ids := func(n int) []byte {
		s := make([]string, n)
		for i := range s {
			s[i] = id
		}
		return mustJSON(t, wire.IdentitiesRequest{Identities: s})
	}
	tests := []struct {
		path   string
		body   []byte
		status int
	}{
		{"identity/create", []byte(`{`), http.StatusBadRequest},
		{"identity/create", []byte(`garbage`), http.StatusBadRequest},
		{"identity/create", []byte(`{"publicKey":"AAAA"}`), http.StatusBadRequest},
		{"identity/create", []byte(`{"publicKey":"!!"}`), http.StatusBadRequest},
		{"identity/create", []byte(`{"publicKey":12}`), http.StatusBadRequest},
		{"identity/create", []byte(`{"publicKey":"` + strings.Repeat("A", 5000) + `"}`), http.StatusRequestEntityTooLarge},
		{"identity/create", []byte(`{} {}`), http.StatusBadRequest},
		{"identity/fetch_bulk", []byte(`{"identities":"ECHOECHO"}`), http.StatusBadRequest},
		{"identity/fetch_bulk", []byte(`{"identities":["echo"]}`), http.StatusBadRequest},
		{"identity/fetch_bulk", ids(11), http.StatusRequestEntityTooLarge},
		{"identity/check", ids(11), http.StatusRequestEntityTooLarge},
		{"identity/check", []byte(`[]`), http.StatusBadRequest},
		{"identity/check_featuremask", []byte(`null`), http.StatusOK},
		{"identity/match", []byte(`{"emailHashes":["AAAA"]}`), http.StatusBadRequest},
		{"identity/match", mustJSON(t, wire.MatchRequest{EmailHashes: bytes.Split(bytes.Repeat([]byte("x"), 11), nil)}), http.StatusRequestEntityTooLarge},
		{"identity/set_featuremask", mustJSON(t, wire.AuthRequest{Identity: id}), http.StatusBadRequest},
		{"identity/link_email", mustJSON(t, wire.AuthRequest{Identity: id, Email: ptr("not-an-address")}), http.StatusBadRequest},
		{"identity/link_mobileno", mustJSON(t, wire.AuthRequest{Identity: id, MobileNo: ptr("call me")}), http.StatusBadRequest},
		{"identity/revoke", []byte(`{"identity":"*GATEWAY"}`), http.StatusBadRequest},
		{"identity/revoke", []byte(`{"identity":"ZZZZZZZZ"}`), http.StatusNotFound},
	}
	for _, tt := range tests {
		var out wire.ErrorResponse
		status := ts.post(t, tt.path, tt.body, &out)
		if status != tt.status {
			t.Errorf("POST %s %.40q = %d, want %d", tt.path, tt.body, status, tt.status)
		}
		if status != http.StatusOK && (out.Success || out.ErrorType == "" || out.Error == "") {
			t.Errorf("POST %s %.40q: error body %+v", tt.path, tt.body, out)
		}
		// The body names the protocol's error type with a short message;
		// the detail (the error chain: fields, causes) stays in the log.
		if status != http.StatusOK && (strings.Contains(out.Error, "directory") || strings.Contains(out.Error, ":")) {
			t.Errorf("POST %s %.40q: the error body carries an internal chain: %q", tt.path, tt.body, out.Error)
		}
	}
	// The server keeps serving.
	if _, err := ts.client.LookupIdentity(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
