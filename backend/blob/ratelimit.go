package blob

// Per-IP rate limiting. This mirrors backend/directory's limiter with a
// single budget; the two could move to a shared internal package.

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

// ipIdleTTL is how long an IP's bucket is kept after its last request.
const ipIdleTTL = 10 * time.Minute

type ipLimiter struct {
	key      netip.Addr
	limiter  *rate.Limiter
	lastSeen time.Time
}

// limiterTable is a bounded LRU map from client address to its bucket.
type limiterTable struct {
	mu    sync.Mutex
	limit RateLimit
	max   int
	lru   *list.List // of *ipLimiter, most recent at the front
	byIP  map[netip.Addr]*list.Element
}

func newLimiterTable(limit RateLimit, maxIPs int) *limiterTable {
	return &limiterTable{limit: limit, max: maxIPs, lru: list.New(), byIP: make(map[netip.Addr]*list.Element)}
}

// allow charges one request to addr at now, or reports how long to wait.
func (t *limiterTable) allow(addr netip.Addr, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var e *ipLimiter
	if el, ok := t.byIP[addr]; ok {
		t.lru.MoveToFront(el)
		e = el.Value.(*ipLimiter)
	} else {
		for back := t.lru.Back(); back != nil; back = t.lru.Back() {
			old := back.Value.(*ipLimiter)
			if t.lru.Len() < t.max && now.Sub(old.lastSeen) < ipIdleTTL {
				break
			}
			t.lru.Remove(back)
			delete(t.byIP, old.key)
		}
		e = &ipLimiter{key: addr, limiter: rate.NewLimiter(rate.Limit(t.limit.PerSecond), t.limit.Burst)}
		t.byIP[addr] = t.lru.PushFront(e)
	}
	e.lastSeen = now
	r := e.limiter.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Hour
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// tracked reports how many addresses have a bucket.
func (t *limiterTable) tracked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lru.Len()
}

// clientAddr is the rate-limiting key of a request: its peer IP, IPv6
// reduced to its /64. Forwarded headers are not trusted.
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

// retryAfter formats a wait as whole seconds (at least 1) for Retry-After.
func retryAfter(d time.Duration) string {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s)
}
