package directory

import (
	"context"
	"net/netip"
	"time"

	"github.com/kurier/kurier/internal/ratelimit"
)

// limitClass is an endpoint class with its own per-IP budget; its value is
// the class index in the ratelimit.Table.
type limitClass = int

const (
	// classGeneral is charged by every request.
	classGeneral limitClass = iota
	// classLookup is charged in addition by the enumeration targets.
	classLookup
	// classMatchHashes is charged by identity/match with one token per hash,
	// so that a client cannot probe the phone number space with full batches.
	classMatchHashes
	numClasses
)

// limiter keeps the per-address budgets: in memory for one node (SQLite),
// in PostgreSQL for every node on the database, so that spreading requests
// over several nodes does not multiply a client's budget.
type limiter interface {
	// allowN charges n tokens to addr's bucket of class at now. When the
	// bucket holds fewer it charges nothing and reports how long until it
	// would hold n (an hour if n is above the bucket's size).
	allowN(ctx context.Context, addr netip.Addr, now time.Time, n int, class limitClass) (ok bool, retryAfter time.Duration, err error)
	// sweep forgets the buckets that have refilled, as if never charged.
	sweep(ctx context.Context, now time.Time) error
	// tracked reports how many addresses have buckets.
	tracked(ctx context.Context) (int, error)
}

// limits are the classes' budgets, indexed by limitClass.
func (c Config) limits() []RateLimit {
	return []RateLimit{classGeneral: c.GeneralLimit, classLookup: c.LookupLimit, classMatchHashes: c.MatchHashLimit}
}

func newLimiterTable(general, lookup, matchHashes RateLimit, maxIPs int) *ratelimit.Table {
	return ratelimit.NewTable(maxIPs, general, lookup, matchHashes)
}

// memoryLimiter is the limiter of a single node: a bounded ratelimit.Table,
// which forgets idle addresses itself.
type memoryLimiter struct{ t *ratelimit.Table }

func newMemoryLimiter(limits []RateLimit, maxIPs int) memoryLimiter {
	return memoryLimiter{newLimiterTable(limits[classGeneral], limits[classLookup], limits[classMatchHashes], maxIPs)}
}

func (m memoryLimiter) allowN(_ context.Context, addr netip.Addr, now time.Time, n int, class limitClass) (bool, time.Duration, error) {
	ok, _, wait := m.t.AllowN(addr, now, n, class)
	return ok, wait, nil
}

func (m memoryLimiter) sweep(context.Context, time.Time) error { return nil }

func (m memoryLimiter) tracked(context.Context) (int, error) { return m.t.Tracked(), nil }
