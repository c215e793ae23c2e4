package signaling

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// counters is a Metrics that counts, for tests.
type counters struct {
	conns, paths, relayed, protocolErrors atomic.Int64
}

func (c *counters) ConnectionsChanged(d int) { c.conns.Add(int64(d)) }
func (c *counters) PathsChanged(d int)       { c.paths.Add(int64(d)) }
func (c *counters) MessageRelayed()          { c.relayed.Add(1) }
func (c *counters) ProtocolError()           { c.protocolErrors.Add(1) }

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	m := &counters{}
	s := startServer(t, func(c *Config) { c.Metrics = m; c.PlainWS = true })
	ini, res := peerConfigs(t, s)
	a, b := dialPair(t, ini, res)
	exchange(t, a, b)
	if m.conns.Load() != 2 || m.paths.Load() != 1 || m.relayed.Load() < 6 {
		t.Fatalf("conns %d paths %d relayed %d", m.conns.Load(), m.paths.Load(), m.relayed.Load())
	}
	r := mustRaw(t, s, genKey(t), rawOpts{})
	r.write(make([]byte, 30))
	expectClose(t, r.ws, saltyrtc.CloseProtocolError)
	_ = a.Close(saltyrtc.CloseNormal)
	_ = b.Close(saltyrtc.CloseNormal)
	eventually(t, "gauges back to zero", func() bool { return m.conns.Load() == 0 && m.paths.Load() == 0 })
	if m.protocolErrors.Load() != 1 {
		t.Fatalf("protocol errors %d", m.protocolErrors.Load())
	}
}

// TestNoGoroutineLeak runs sessions, a server shutdown under load and the
// clients' ends, then checks that every goroutine is gone. It is not
// parallel: the parallel tests are paused while it runs.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	key := genKey(t)
	srv, err := New(Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Keys: []cryptobox.KeyPair{key}})
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{Server: srv, key: key}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	ini, res := peerConfigs(t, s)
	a, b, errA, errB := dialBoth(t, ini, res)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	exchange(t, a, b)
	idle := mustRaw(t, s, genKey(t), rawOpts{ping: 1})
	cancel() // shutdown with everything connected
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	expectClose(t, idle.ws, saltyrtc.CloseGoingAway)
	<-a.Done()
	<-b.Done()
	_ = a.Close(saltyrtc.CloseNormal)
	_ = b.Close(saltyrtc.CloseNormal)
	_ = idle.ws.Close()
	eventually(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
}
