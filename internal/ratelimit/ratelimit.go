// Package ratelimit is the per-client-address rate limiting every Kurier
// server applies to what an attacker controls: token buckets
// (golang.org/x/time/rate) kept per IP in a bounded, least-recently-used
// table, with several independent budgets ("classes") per address.
package ratelimit

import (
	"container/list"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// IdleTTL is how long an address's buckets are kept at least after its last
// request (longer for buckets that take longer to refill, see NewTable).
const IdleTTL = 10 * time.Minute

// Limit is one token bucket: PerSecond refill rate and Burst size.
type Limit struct {
	PerSecond float64 // refill rate, requests per second
	Burst     int     // bucket size
}

// entry holds the buckets of one client address.
type entry struct {
	key      netip.Addr
	buckets  []*rate.Limiter
	lastSeen time.Time
}

// Table maps client addresses to their buckets, one per class, keeping at
// most a fixed number of addresses (idle and least recently seen ones go
// first).
type Table struct {
	mu      sync.Mutex
	limits  []Limit
	max     int
	idleTTL time.Duration // how long an idle address is remembered
	lru     *list.List    // of *entry, most recent at the front
	byIP    map[netip.Addr]*list.Element
}

// NewTable returns a table whose class i has limits[i], tracking at most
// maxAddrs addresses.
//
// An idle address is forgotten after IdleTTL, or after the time its slowest
// bucket takes to refill if that is longer: forgetting it earlier would hand
// a client a full bucket before it earned one (a budget of 1,000 lookups an
// hour must not become 1,000 every ten minutes).
func NewTable(maxAddrs int, limits ...Limit) *Table {
	ttl := IdleTTL
	for _, l := range limits {
		if l.PerSecond > 0 {
			ttl = max(ttl, time.Duration(float64(l.Burst)/l.PerSecond*float64(time.Second)))
		}
	}
	return &Table{limits: limits, max: max(maxAddrs, 1), idleTTL: ttl, lru: list.New(), byIP: make(map[netip.Addr]*list.Element)}
}

// Allow charges one request to each of classes for addr at now. When a
// budget is exhausted it reports that class and how long to wait, and
// charges nothing.
func (t *Table) Allow(addr netip.Addr, now time.Time, classes ...int) (ok bool, blocked int, retryAfter time.Duration) {
	return t.AllowN(addr, now, 1, classes...)
}

// AllowN is Allow with a cost of n tokens per class.
func (t *Table) AllowN(addr netip.Addr, now time.Time, n int, classes ...int) (ok bool, blocked int, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entry(addr, now)
	taken := make([]*rate.Reservation, 0, len(classes))
	for _, c := range classes {
		r := e.buckets[c].ReserveN(now, n)
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

// Tracked reports how many addresses have buckets.
func (t *Table) Tracked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lru.Len()
}

// entry finds or creates addr's buckets, evicting idle and least recently
// seen addresses to stay within the bound. Called with t.mu held.
func (t *Table) entry(addr netip.Addr, now time.Time) *entry {
	if el, ok := t.byIP[addr]; ok {
		t.lru.MoveToFront(el)
		e := el.Value.(*entry)
		e.lastSeen = now
		return e
	}
	for back := t.lru.Back(); back != nil; back = t.lru.Back() {
		old := back.Value.(*entry)
		if t.lru.Len() < t.max && now.Sub(old.lastSeen) < t.idleTTL {
			break
		}
		t.lru.Remove(back)
		delete(t.byIP, old.key)
	}
	e := &entry{key: addr, lastSeen: now, buckets: make([]*rate.Limiter, len(t.limits))}
	for i, l := range t.limits {
		e.buckets[i] = rate.NewLimiter(rate.Limit(l.PerSecond), l.Burst)
	}
	t.byIP[addr] = t.lru.PushFront(e)
	return e
}

// ClientAddr is the rate-limiting key of a request: its peer IP, with IPv6
// reduced to its /64 (one host usually owns a whole /64). Forwarded headers
// are not trusted: Kurier's servers are meant to be reached directly.
func ClientAddr(r *http.Request) netip.Addr {
	return AddrKey(r.RemoteAddr)
}

// AddrKey is ClientAddr for a "host:port" (or bare host) remote address, as a
// TCP server sees it.
func AddrKey(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
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

// RetryAfter formats a wait as whole seconds, at least 1, for the
// Retry-After header.
func RetryAfter(d time.Duration) string {
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1))
}
