package chat

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/csp"
)

// sendAll sends envs concurrently and returns how many were acked within
// wait (the others were refused: the server never acks them).
func sendAll(t *testing.T, c *client.Client, envs []csp.Envelope, wait time.Duration) int {
	t.Helper()
	var (
		mu    sync.Mutex
		acked int
		wg    sync.WaitGroup
	)
	for _, env := range envs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			err := c.Send(ctx, env)
			switch {
			case err == nil:
				mu.Lock()
				acked++
				mu.Unlock()
			case !errors.Is(err, context.DeadlineExceeded):
				t.Errorf("send: %v", err)
			}
		}()
	}
	wg.Wait()
	return acked
}

// TestQueueFlooding (issue 14, item 2): a logged-in client sends 8 KB
// messages to identities the directory does not know — none is stored or
// acked; and to one real receiver more than its queue may hold in bytes —
// the queue stops at its byte bound; while another client's message goes
// through.
func TestQueueFlooding(t *testing.T) {
	w := newWorld(t, func(c *Config) { c.MaxQueueBytesPerReceiver = 256 << 10 })
	attacker, bob, good := w.newUser(), w.newUser(), w.newUser()
	ca := w.dial(attacker)
	var random []csp.Envelope
	for i := range 100 {
		to, err := csp.ParseID("Z" + string(rune('A'+i%26)) + "UNK" + string(rune('A'+i/26)) + "XY")
		if err != nil {
			t.Fatal(err)
		}
		env := envelope(attacker.id, to, uint64(i+1), 0)
		env.Box = make([]byte, 8000)
		random = append(random, env)
	}
	if n := sendAll(t, ca, random, 500*time.Millisecond); n != 0 {
		t.Fatalf("%d messages to unknown identities acked", n)
	}
	if st := w.srv.Stats(); st.QueueDepth != 0 || st.MessagesRefusedUnknownReceiver != 100 {
		t.Fatalf("queue depth %d, %d refused as unknown; want 0 and 100", st.QueueDepth, st.MessagesRefusedUnknownReceiver)
	}

	// To one real (offline) receiver: 60 × 8 KB = 480 KB, bound 256 KiB.
	var toBob []csp.Envelope
	for i := range 60 {
		env := envelope(attacker.id, bob.id, uint64(1000+i), 0)
		env.Box = make([]byte, 8000)
		toBob = append(toBob, env)
	}
	acked := sendAll(t, ca, toBob, time.Second)
	if depth := w.depth(bob); depth != acked || acked < 25 || acked > 32 {
		t.Fatalf("%d of 60 acked and %d queued for one receiver; its byte bound allows about 31", acked, depth)
	}

	// Another client still gets through, to a receiver with room.
	cg := w.dial(good)
	send(t, cg, envelope(good.id, attacker.id, 1, 0))
}

// TestSenderPace (issue 14, item 2): a connection that sends faster than
// its rate is slowed down — its messages are still taken, later — while
// another connection is not.
func TestSenderPace(t *testing.T) {
	w := newWorld(t, func(c *Config) { c.SenderRate, c.SenderBurst = 50, 10 })
	fast, bob, other := w.newUser(), w.newUser(), w.newUser()
	cf, co := w.dial(fast), w.dial(other)
	var envs []csp.Envelope
	for i := range 40 {
		envs = append(envs, envelope(fast.id, bob.id, uint64(i+1), 0))
	}
	if n := sendAll(t, cf, envs, 10*time.Second); n != 40 {
		t.Fatalf("%d of 40 paced messages acked", n)
	}
	if st := w.srv.Stats(); st.MessagesThrottled < 20 {
		t.Fatalf("%d messages throttled, want ≥ 20 (burst 10 of 40)", st.MessagesThrottled)
	}
	send(t, co, envelope(other.id, bob.id, 99, 0))
}

// TestStoreWatermark (issue 14, item 2): once the queue's files pass the
// watermark, new messages are neither stored nor acked, so the disk use
// stops near it (within one check interval's worth of messages).
func TestStoreWatermark(t *testing.T) {
	const watermark = 1 << 20 // the empty store is far below 1 MiB
	w := newWorld(t, func(c *Config) {
		c.StoreCheckInterval = 20 * time.Millisecond
		c.MaxStoreBytes = watermark
	})
	sender := w.newUser()
	ca := w.dial(sender)
	var receivers []user
	for range 8 {
		receivers = append(receivers, w.newUser())
	}
	refused := 0
	for i := 0; i < 600 && refused < 3; i++ {
		env := envelope(sender.id, receivers[i%len(receivers)].id, uint64(i+1), 0)
		env.Box = make([]byte, 7000)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		if err := ca.Send(ctx, env); err != nil {
			refused++
		}
		cancel()
	}
	if refused == 0 {
		t.Fatal("no message was refused past the watermark")
	}
	if st := w.srv.Stats(); st.MessagesRefusedStoreFull == 0 {
		t.Fatalf("Stats = %+v", st)
	}
	if n, _ := w.srv.storeBytes(context.Background()); n > watermark+(1<<20) {
		t.Fatalf("the store grew to %d bytes, watermark %d", n, watermark)
	}
}
