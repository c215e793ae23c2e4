package chat

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/csp"
)

// halfOpen opens n connections from ip that never send the client-hello.
func halfOpen(t *testing.T, ip, addr string, n int) []net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	var cs []net.Conn
	for range n {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		cs = append(cs, c)
	}
	return cs
}

// closedWithin counts the connections the server closes within d.
func closedWithin(cs []net.Conn, d time.Duration) int {
	var (
		mu     sync.Mutex
		closed int
		wg     sync.WaitGroup
	)
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetReadDeadline(time.Now().Add(d))
			_, err := c.Read(make([]byte, 1))
			if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
				mu.Lock()
				closed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return closed
}

// TestHandshakeExhaustion (issue 14, item 1): four addresses open 1,200
// connections that never finish (never send the client-hello). The server
// holds at most MaxPendingLoginsPerIP of them per address, closes the rest
// on accept (counted by reason), and closes the held ones after
// HelloTimeout, not the whole HandshakeTimeout; meanwhile a good client
// logs in, sends and gets its acks with no failure.
func TestHandshakeExhaustion(t *testing.T) {
	w := newWorld(t, func(c *Config) { c.HandshakeTimeout = 10 * time.Second })
	addr := w.srv.Addr().String()
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			_ = c.Close()
		}
	}()
	for _, ip := range []string{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"} {
		flood = append(flood, halfOpen(t, ip, addr, 300)...)
	}
	start := time.Now()
	// Refused on accept: everything over 32 per address.
	if closed := closedWithin(flood, 300*time.Millisecond); closed < len(flood)-4*DefaultMaxPendingLoginsPerIP {
		t.Fatalf("%d of %d half-open connections closed at once, want ≥ %d", closed, len(flood), len(flood)-4*DefaultMaxPendingLoginsPerIP)
	}
	if n := w.srv.Stats().ConnectionsRefused["logins_per_address"]; n < uint64(len(flood)-4*DefaultMaxPendingLoginsPerIP) {
		t.Fatalf("%d refusals counted", n)
	}

	// The good client, at another address, while the held ones wait: no
	// failure (its latency is measured by BenchmarkLoginUnderHandshakeFlood).
	alice, bob := w.newUser(), w.newUser()
	lat := goodClient(t, w, alice, bob, 50)
	t.Logf("good login+send+ack p50 %s, p99 %s", lat[len(lat)/2], lat[len(lat)*99/100])

	// The held ones are closed after HelloTimeout (2 s), long before the
	// 10 s HandshakeTimeout.
	if left := len(flood) - closedWithin(flood, DefaultHelloTimeout+time.Second-time.Since(start)); left > 0 {
		t.Fatalf("%d half-open connections still open %s after they were made", left, time.Since(start).Round(time.Millisecond))
	}
}

// goodClient logs alice in n times, each time sending one message to bob
// and waiting for its ack; it fails tb on any failure and returns the
// sorted latencies.
func goodClient(tb testing.TB, w *world, alice, bob user, n int) []time.Duration {
	tb.Helper()
	var lat []time.Duration
	for i := range n {
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := client.Dial(ctx, w.clientConfig(alice))
		if err != nil {
			cancel()
			tb.Fatalf("good login %d: %v", i, err)
		}
		err = c.Send(ctx, envelope(alice.id, bob.id, uint64(time.Now().UnixNano()), csp.Flags(0)))
		cancel()
		_ = c.Close()
		if err != nil {
			tb.Fatalf("good send %d: %v", i, err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	return lat
}

// BenchmarkLoginUnderHandshakeFlood measures a good client's login + send
// + ack while 4 addresses hold 1,200 half-open connections, and without
// them, in one run: p50/p99 of each and the ratio of the p99s.
func BenchmarkLoginUnderHandshakeFlood(b *testing.B) {
	w := newWorld(b, func(c *Config) { c.HandshakeTimeout = 10 * time.Second; c.HelloTimeout = time.Hour })
	alice, bob := w.newUser(), w.newUser()
	addr := w.srv.Addr().String()
	n := max(b.N, 20)
	quiet := goodClient(b, w, alice, bob, n)
	var flood []net.Conn
	d := net.Dialer{Timeout: 5 * time.Second}
	for i := range 4 {
		d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i))}
		for range 300 {
			c, err := d.Dial("tcp", addr)
			if err != nil {
				b.Fatal(err)
			}
			flood = append(flood, c)
		}
	}
	defer func() {
		for _, c := range flood {
			_ = c.Close()
		}
	}()
	b.ResetTimer()
	attacked := goodClient(b, w, alice, bob, n)
	b.StopTimer()
	p := func(l []time.Duration, q int) float64 { return float64(l[len(l)*q/100].Microseconds()) / 1000 }
	b.ReportMetric(p(quiet, 50), "quiet-p50-ms")
	b.ReportMetric(p(quiet, 99), "quiet-p99-ms")
	b.ReportMetric(p(attacked, 50), "flood-p50-ms")
	b.ReportMetric(p(attacked, 99), "flood-p99-ms")
	b.ReportMetric(p(attacked, 99)/p(quiet, 99), "p99-ratio")
}
