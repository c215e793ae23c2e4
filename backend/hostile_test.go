package backend

import (
	"bufio"
	"context"
	"crypto/rand"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/admin"
	"github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/protocol/cryptobox"
)

// floodIdle opens n TCP connections to addr from the local address ip that
// never send a byte, waits a moment, and returns how many the server still
// holds open (the rest it closed on accept).
func floodIdle(t *testing.T, ip, addr string, n int) (open int, conns []net.Conn) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	for range n {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %s: %v", addr, err)
		}
		conns = append(conns, c)
	}
	time.Sleep(200 * time.Millisecond)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			_, err := c.Read(make([]byte, 1))
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				mu.Lock()
				open++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return open, conns
}

// TestIdleConnectionFlood (issue 14, item 5): one address opens far more
// idle connections than a client needs to every HTTP and WebSocket server
// of the backend. Each server holds at most its per-address bound (the rest
// are closed on accept and counted), and a good client at another address
// keeps looking identities up without a failure.
func TestIdleConnectionFlood(t *testing.T) {
	b, stop := startBackend(t, t.TempDir())
	defer stop()
	const extra = 100
	targets := []struct {
		name  string
		addr  string
		bound int
	}{
		{"directory", b.directory.Addr().String(), connlimit.DefaultPerAddr},
		{"blob", b.blob.Addr().String(), connlimit.DefaultPerAddr},
		{"admin", b.admin.Addr().String(), admin.DefaultConns.PerAddr},
		{"signaling", b.signaling.Addr().String(), 2 * signaling.DefaultMaxConnsPerIP},
	}
	var flood []net.Conn
	defer func() { // before stop: the servers need not wait for them
		for _, c := range flood {
			_ = c.Close()
		}
	}()
	for _, tg := range targets {
		open, conns := floodIdle(t, "127.0.0.2", tg.addr, tg.bound+extra)
		flood = append(flood, conns...)
		if open > tg.bound {
			t.Errorf("%s holds %d idle connections from one address, bound %d", tg.name, open, tg.bound)
		}
	}
	// Every server's refusals are in the metrics, as an operator sees them.
	metrics := scrapeMetrics(t, b.admin.URL()+"metrics")
	for _, tg := range targets {
		name := `kurier_connections_refused_total{reason="per_address",server="` + tg.name + `"}`
		if got, ok := metrics[name]; !ok || got < extra {
			t.Errorf("%s = %v (present %v), want ≥ %d", name, got, ok, extra)
		}
	}

	// The good client, from 127.0.0.1.
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := client.New(b.directory.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := dc.Create(ctx, kp)
	if err != nil {
		t.Fatal(err)
	}
	var lat []time.Duration
	for range 50 {
		start := time.Now()
		if _, err := dc.LookupIdentity(ctx, id); err != nil {
			t.Fatalf("good client's lookup under the flood: %v", err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	p99 := lat[len(lat)*99/100]
	t.Logf("good client's lookup p50 %s, p99 %s", lat[len(lat)/2], p99) // a figure, not a bound: tests are not timed
}

// scrapeMetrics reads a Prometheus text page into a map from the sample's
// name with its labels to its value.
func scrapeMetrics(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out := make(map[string]float64)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}
