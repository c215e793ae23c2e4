// Package connlimit bounds the connections a server holds per client address
// and in total. It wraps the server's listener, so a connection over a bound
// is closed as soon as it is accepted, before a byte is read or a TLS
// handshake starts: an attacker's idle connections cost the server one
// accept each and no memory, and they can never use up the file descriptors
// that other clients need.
package connlimit

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/kurier/kurier/internal/ratelimit"
)

// Limits are the bounds of a Listener; zero or negative means no bound.
type Limits struct {
	// PerAddr bounds the open connections of one client address (an IPv6
	// client counts by its /64, as ratelimit.AddrKey groups them).
	PerAddr int
	// Total bounds all open connections.
	Total int
}

// Reasons a connection is refused, the index of Listener.Refused.
const (
	// RefusedPerAddr: the client address already holds PerAddr connections.
	RefusedPerAddr = iota
	// RefusedTotal: the server already holds Total connections.
	RefusedTotal
	numReasons
)

// Listener is a net.Listener that enforces Limits. It is safe for
// concurrent use.
type Listener struct {
	net.Listener
	lim Limits

	mu      sync.Mutex
	perAddr map[netip.Addr]int
	total   int

	refused [numReasons]atomic.Uint64
}

// Wrap returns ln with lim enforced on every accepted connection.
func Wrap(ln net.Listener, lim Limits) *Listener {
	return &Listener{Listener: ln, lim: lim, perAddr: make(map[netip.Addr]int)}
}

// Accept returns the next connection within the limits; connections over a
// limit are closed and counted, and Accept goes on waiting.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := ratelimit.AddrKey(c.RemoteAddr().String())
		if reason, ok := l.admit(key); !ok {
			l.refused[reason].Add(1)
			_ = c.Close()
			continue
		}
		return &conn{Conn: c, l: l, key: key}, nil
	}
}

func (l *Listener) admit(key netip.Addr) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lim.Total > 0 && l.total >= l.lim.Total {
		return RefusedTotal, false
	}
	if l.lim.PerAddr > 0 && l.perAddr[key] >= l.lim.PerAddr {
		return RefusedPerAddr, false
	}
	l.total++
	l.perAddr[key]++
	return 0, true
}

func (l *Listener) release(key netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.perAddr[key]--; l.perAddr[key] <= 0 {
		delete(l.perAddr, key)
	}
}

// Open is the number of connections open now.
func (l *Listener) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// Refused counts the connections refused for a reason (RefusedPerAddr,
// RefusedTotal) since the start.
func (l *Listener) Refused(reason int) uint64 {
	if reason < 0 || reason >= numReasons {
		return 0
	}
	return l.refused[reason].Load()
}

// conn releases its place when closed (once, however often Close is
// called: http.Server and a hijacking WebSocket may both close it).
type conn struct {
	net.Conn
	l    *Listener
	key  netip.Addr
	once sync.Once
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Defaults of Limits.WithDefaults.
const (
	// DefaultPerAddr bounds one address's connections: far above what a
	// world of QA phones on one loopback address holds (each HTTP client
	// keeps a few), far below what exhausts a server.
	DefaultPerAddr = 256
	// DefaultTotal bounds all connections of one server.
	DefaultTotal = 20000
)

// WithDefaults fills zero fields with the defaults.
func (l Limits) WithDefaults() Limits {
	if l.PerAddr <= 0 {
		l.PerAddr = DefaultPerAddr
	}
	if l.Total <= 0 {
		l.Total = DefaultTotal
	}
	return l
}
