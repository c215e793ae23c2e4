package phone

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/e2e"
)

// BenchmarkBacklogCatchUp measures how fast a phone that comes online works
// through its offline queue: 5,000 messages from 50 peers, queued at the
// chat server, then decrypted, checked, stored and acknowledged. Each
// iteration is a fresh receiving phone; only its catch-up is timed (from
// Run until every message is stored and the server's queue is empty).
func BenchmarkBacklogCatchUp(b *testing.B) {
	const peers, perPeer = 50, 100
	w := newWorld(b)
	senders := make([]*rawPeer, peers)
	for i := range senders {
		senders[i] = w.newRaw(b)
	}
	var total time.Duration
	for range b.N {
		b.StopTimer()
		r := w.newPhone(b, "R")
		rid, key := mustID(b, r.ID()), r.PublicKey()
		var wg sync.WaitGroup
		errs := make(chan error, peers)
		for i, s := range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range perPeer {
					env := s.seal(b, rid, key, uint64(i*perPeer+j+1), e2e.Text{Text: fmt.Sprintf("backlog %d/%d", i, j)})
					if err := s.c.Send(context.Background(), env); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		var stored atomic.Int64
		all := make(chan struct{})
		r.Subscribe(func(e Event) {
			if e.Kind == EventMessage && stored.Add(1) == peers*perPeer {
				close(all)
			}
		})
		b.StartTimer()
		start := time.Now()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx) }()
		select {
		case <-all:
		case <-time.After(2 * time.Minute):
			b.Fatalf("only %d messages stored", stored.Load())
		}
		w.waitQueueEmpty(b, r.ID())
		total += time.Since(start)
		b.StopTimer()
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		if r.logs.contains("backlog") {
			b.Fatal("message text in the log")
		}
	}
	b.ReportMetric(float64(peers*perPeer*b.N)/total.Seconds(), "msgs/s")
}
