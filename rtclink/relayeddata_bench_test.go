package rtclink

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/chunking"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// BenchmarkRelayedDataVsWebRTC64KiB moves 64 KiB Web-protocol messages
// over the Relayed Data task (through the signalling server on loopback,
// chunked in 64 KiB by webclient.Framing, as Threema Web does with the iOS
// app) and over the WebRTC task's secure channel, in alternating rounds of
// one run. The timer covers the Relayed Data task; ratio is its throughput
// over WebRTC's.
func BenchmarkRelayedDataVsWebRTC64KiB(b *testing.B) {
	const size = 64 << 10
	srv := startSignaling(b)
	defer srv.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ic, rc := srv.configs(b, WebRTCConfig{}, WebRTCConfig{})
	a, p, err := pairChannel(ctx, ic, rc)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = a.s.Close(saltyrtc.CloseNormal) }()
	defer func() { _ = p.s.Close(saltyrtc.CloseNormal) }()
	ir, rr := srv.configs(b, WebRTCConfig{}, WebRTCConfig{})
	ir.Tasks, rr.Tasks = []Task{NewRelayedDataTask()}, []Task{NewRelayedDataTask()}
	ri, rp, err := dialRelayed(ctx, ir, rr)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = ri.Close(saltyrtc.CloseNormal) }()
	defer func() { _ = rp.Close(saltyrtc.CloseNormal) }()
	from, _ := AppChannel(rp)
	to, _ := AppChannel(ri)
	msg := make([]byte, size)

	b.SetBytes(size)
	b.ResetTimer()
	var relayed, webrtc time.Duration
	rounds := min(b.N, 8)
	for r := range rounds {
		n := b.N/rounds + btoi(r < b.N%rounds)
		d, err := relayedTransfer(ctx, from, to, n, msg)
		if err != nil {
			b.Fatal(err)
		}
		relayed += d
		b.StopTimer()
		if d, err = secureTransfer(ctx, p.ch, a.ch, n, msg); err != nil {
			b.Fatal(err)
		}
		webrtc += d
		b.StartTimer()
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return float64(b.N) * size / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(relayed), "relayed-MB/s")
	b.ReportMetric(mbps(webrtc), "webrtc-MB/s")
	b.ReportMetric(webrtc.Seconds()/relayed.Seconds(), "ratio")
}

// dialRelayed dials both roles with the Relayed Data task.
func dialRelayed(ctx context.Context, ini, res Config) (*Session, *Session, error) {
	var a, b *Session
	var ea, eb error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a, ea = Dial(ctx, ini) }()
	go func() { defer wg.Done(); b, eb = Dial(ctx, res) }()
	wg.Wait()
	if ea != nil || eb != nil {
		for _, s := range []*Session{a, b} {
			if s != nil {
				_ = s.Close(saltyrtc.CloseNormal)
			}
		}
		return nil, nil, fmt.Errorf("relayed: %v / %v", ea, eb)
	}
	return a, b, nil
}

// relayedTransfer sends n messages as Relayed Data chunks and returns when
// the last one was reassembled.
func relayedTransfer(ctx context.Context, from, to Messenger, n int, msg []byte) (time.Duration, error) {
	tx, rx := wc.NewFraming(true, chunking.Limits{}), wc.NewFraming(true, chunking.Limits{})
	start := time.Now()
	errc := make(chan error, 1)
	go func() {
		for got := 0; got < n; {
			u, err := to.Receive(ctx)
			if err != nil {
				errc <- err
				return
			}
			m, err := rx.Unframe(u)
			if err != nil {
				errc <- err
				return
			}
			if m != nil {
				got++
			}
		}
		errc <- nil
	}()
	for range n {
		units, err := tx.Frames(msg)
		if err != nil {
			return 0, err
		}
		for _, u := range units {
			if err := from.Send(ctx, u); err != nil {
				<-errc
				return 0, err
			}
		}
	}
	if err := <-errc; err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
