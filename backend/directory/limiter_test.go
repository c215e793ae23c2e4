package directory

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/internal/pgtest"
)

// testLimits are the budgets of the limiter contract tests: general 2 at
// once then 1 a second, lookup 3 at once then 1 every 2 s.
var testLimits = []RateLimit{
	classGeneral:     {PerSecond: 1, Burst: 2},
	classLookup:      {PerSecond: 0.5, Burst: 3},
	classMatchHashes: {PerSecond: 1, Burst: 10},
}

// forEachLimiter runs test on a new limiter of every implementation.
func forEachLimiter(t *testing.T, test func(t *testing.T, l limiter)) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		test(t, newMemoryLimiter(testLimits, 100))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		st := openTestPostgres(t, pgtest.URL(t))
		test(t, newPostgresLimiter(st.pool, testLimits))
	})
}

func TestLimiterContract(t *testing.T) {
	t.Parallel()
	forEachLimiter(t, func(t *testing.T, l limiter) {
		ctx := context.Background()
		now := time.Unix(1_700_000_000, 0)
		a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::")
		allow := func(addr netip.Addr, at time.Time, n int, class limitClass) (bool, time.Duration) {
			t.Helper()
			ok, wait, err := l.allowN(ctx, addr, at, n, class)
			if err != nil {
				t.Fatal(err)
			}
			return ok, wait
		}
		for i := range 2 {
			if ok, _ := allow(a, now, 1, classGeneral); !ok {
				t.Fatalf("request %d refused", i)
			}
		}
		if ok, wait := allow(a, now, 1, classGeneral); ok || wait != time.Second {
			t.Fatalf("third request: ok=%v wait=%v, want refused, 1s", ok, wait)
		}
		// Other classes and other addresses have their own buckets.
		if ok, _ := allow(a, now, 3, classLookup); !ok {
			t.Fatal("lookup refused while only the general budget is spent")
		}
		if ok, _ := allow(b, now, 2, classGeneral); !ok {
			t.Fatal("another address refused")
		}
		// A refusal costs nothing; the bucket refills with time, up to its size.
		if ok, wait := allow(a, now, 2, classLookup); ok || wait != 4*time.Second {
			t.Fatalf("lookup of 2 on an empty bucket: ok=%v wait=%v, want 4s", ok, wait)
		}
		if ok, _ := allow(a, now.Add(2*time.Second), 1, classLookup); !ok {
			t.Fatal("lookup after 2 s refused")
		}
		if ok, wait := allow(a, now.Add(3*time.Second), 1, classLookup); ok || wait != time.Second {
			t.Fatalf("lookup after 3 s: ok=%v wait=%v, want 1s", ok, wait)
		}
		if ok, _ := allow(a, now.Add(time.Hour), 3, classLookup); !ok {
			t.Fatal("a full bucket refused")
		}
		if ok, _ := allow(a, now.Add(time.Hour), 1, classLookup); ok {
			t.Fatal("the bucket held more than its size")
		}
		// More than the bucket ever holds is refused for an hour.
		if ok, wait := allow(b, now, 11, classMatchHashes); ok || wait != time.Hour {
			t.Fatalf("above the burst: ok=%v wait=%v, want an hour", ok, wait)
		}
		if n, err := l.tracked(ctx); err != nil || n != 2 {
			t.Fatalf("tracked = %d, %v; want 2", n, err)
		}
	})
}

// TestPostgresLimiterSharedAndAtomic: two nodes (two pools on one database)
// charging one address at once grant exactly the bucket's size in total.
func TestPostgresLimiterSharedAndAtomic(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	limits := []RateLimit{{PerSecond: 1, Burst: 50}, {PerSecond: 1, Burst: 50}, {PerSecond: 1, Burst: 50}}
	nodes := []limiter{
		newPostgresLimiter(openTestPostgres(t, url).pool, limits),
		newPostgresLimiter(openTestPostgres(t, url).pool, limits),
	}
	now := time.Unix(1_700_000_000, 0)
	addr := netip.MustParseAddr("198.51.100.7")
	var granted atomic.Int64
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 10 {
				ok, _, err := nodes[i%2].allowN(context.Background(), addr, now, 1, classLookup)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					granted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := granted.Load(); n != 50 {
		t.Fatalf("granted %d of 160 concurrent requests on two nodes, want the burst of 50", n)
	}
	// A node whose clock lags does not refill the bucket again.
	if ok, _, err := nodes[0].allowN(context.Background(), addr, now.Add(10*time.Second), 10, classLookup); err != nil || !ok {
		t.Fatalf("after 10 s: %v, %v", ok, err)
	}
	if ok, _, err := nodes[1].allowN(context.Background(), addr, now.Add(5*time.Second), 1, classLookup); err != nil || ok {
		t.Fatalf("a lagging clock refilled the bucket: %v, %v", ok, err)
	}
}

// TestPostgresLimiterSweep: the sweep deletes exactly the rows whose bucket
// has refilled.
func TestPostgresLimiterSweep(t *testing.T) {
	t.Parallel()
	st := openTestPostgres(t, pgtest.URL(t))
	l := newPostgresLimiter(st.pool, testLimits)
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	charge := func(addr string, n int, class limitClass) {
		t.Helper()
		if ok, _, err := l.allowN(ctx, netip.MustParseAddr(addr), now, n, class); err != nil || !ok {
			t.Fatalf("charge: %v, %v", ok, err)
		}
	}
	charge("192.0.2.1", 1, classGeneral)      // refilled after 1 s
	charge("192.0.2.2", 2, classGeneral)      // after 2 s
	charge("192.0.2.2", 10, classMatchHashes) // after 10 s
	rows := func() int {
		t.Helper()
		var n int
		if err := st.pool.QueryRow(ctx, `SELECT count(*) FROM directory_rate_limits`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, step := range []struct {
		after time.Duration
		left  int
	}{{0, 3}, {time.Second, 2}, {2 * time.Second, 1}, {9 * time.Second, 1}, {10 * time.Second, 0}} {
		if err := l.sweep(ctx, now.Add(step.after)); err != nil {
			t.Fatal(err)
		}
		if n := rows(); n != step.left {
			t.Fatalf("after %v: %d rows, want %d", step.after, n, step.left)
		}
	}
}
