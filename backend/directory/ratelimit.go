package directory

import (
	"container/list"
	"math"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limitClass is an endpoint class with its own per-IP budget.
type limitClass int

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

// String is the class name used in logs and stats.
func (c limitClass) String() string {
	switch c {
	case classLookup:
		return "lookup"
	case classMatchHashes:
		return "match_hashes"
	default:
		return "general"
	}
}

// ipIdleTTL is how long an IP's limiters are kept after its last request; a
// bucket refills long before that, so forgetting it loses nothing.
const ipIdleTTL = 10 * time.Minute

// ipLimiter holds the token buckets of one client address.
type ipLimiter struct {
	key      netip.Addr
	limiters [numClasses]*rate.Limiter
	lastSeen time.Time
}

// limiterTable is a bounded LRU map from client address to its buckets.
type limiterTable struct {
	mu     sync.Mutex
	limits [numClasses]RateLimit
	max    int
	lru    *list.List // of *ipLimiter, most recent at the front
	byIP   map[netip.Addr]*list.Element
}

func newLimiterTable(general, lookup, matchHashes RateLimit, maxIPs int) *limiterTable {
	return &limiterTable{
		limits: [numClasses]RateLimit{classGeneral: general, classLookup: lookup, classMatchHashes: matchHashes},
		max:    maxIPs,
		lru:    list.New(),
		byIP:   make(map[netip.Addr]*list.Element),
	}
}

// allow charges one request of each class in classes to addr at now. If a
// budget is exhausted it reports the class and how long to wait.
func (t *limiterTable) allow(addr netip.Addr, now time.Time, classes ...limitClass) (ok bool, blocked limitClass, retryAfter time.Duration) {
	return t.allowN(addr, now, 1, classes...)
}

// allowN is allow with a cost of n tokens per class; a refused request
// costs nothing.
func (t *limiterTable) allowN(addr netip.Addr, now time.Time, n int, classes ...limitClass) (ok bool, blocked limitClass, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entry(addr, now)
	taken := make([]*rate.Reservation, 0, len(classes))
	for _, c := range classes {
		r := e.limiters[c].ReserveN(now, n)
		wait := time.Hour
		if r.OK() {
			wait = r.DelayFrom(now)
		}
		if wait > 0 {
			// A refused request costs nothing: give back what it took.
			r.CancelAt(now)
			for _, prev := range taken {
				prev.CancelAt(now)
			}
			return false, c, wait
		}
		taken = append(taken, r)
	}
	return true, 0, 0
}

// entry finds or creates addr's buckets, evicting idle and least recently
// seen addresses to stay within the bound. Called with t.mu held.
func (t *limiterTable) entry(addr netip.Addr, now time.Time) *ipLimiter {
	if el, ok := t.byIP[addr]; ok {
		t.lru.MoveToFront(el)
		e := el.Value.(*ipLimiter)
		e.lastSeen = now
		return e
	}
	for back := t.lru.Back(); back != nil; back = t.lru.Back() {
		old := back.Value.(*ipLimiter)
		if t.lru.Len() < t.max && now.Sub(old.lastSeen) < ipIdleTTL {
			break
		}
		t.lru.Remove(back)
		delete(t.byIP, old.key)
	}
	e := &ipLimiter{key: addr, lastSeen: now}
	for c := range numClasses {
		l := t.limits[c]
		e.limiters[c] = rate.NewLimiter(rate.Limit(l.PerSecond), l.Burst)
	}
	t.byIP[addr] = t.lru.PushFront(e)
	return e
}

// tracked reports how many addresses have buckets.
func (t *limiterTable) tracked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lru.Len()
}

// clientAddr is the rate-limiting key of a request: its peer IP, with IPv6
// reduced to its /64 (one host usually owns a whole /64). Forwarded headers are
// not trusted: the server is meant to be reached directly.
func clientAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap()
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.Addr()
		}
	}
	return a
}

// retryAfterSeconds rounds a wait up to whole seconds (at least 1) for the
// Retry-After header.
func retryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}
