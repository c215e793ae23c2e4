package phone

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/kurier/kurier/phone/store"
)

// TestOutboxExpiryMarksFailed: a message that could not reach the chat
// server within the outbox expiry is given up and marked failed instead of
// being retried forever; a fresh one is still sent.
func TestOutboxExpiryMarksFailed(t *testing.T) {
	w := newWorld(t)
	a := w.newPhone(t, "Alice")
	b := w.newPhone(t, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}
	// Alice is offline: the message waits in the outbox.
	old, err := a.SendText(ctx, b.ID(), "stuck for a week")
	if err != nil {
		t.Fatal(err)
	}
	a.stop()
	a.unsub()
	if err := a.Phone.Close(); err != nil {
		t.Fatal(err)
	}
	later := func() time.Time { return time.Now().Add(DefaultOutboxExpiry + time.Hour) }
	p, err := Open(ctx, a.dir, WithLogger(slog.New(sinkHandler{s: a.logs})), WithClock(later))
	if err != nil {
		t.Fatal(err)
	}
	a.Phone = p
	a.events = make(chan Event, 1000)
	a.unsub = p.Subscribe(func(e Event) { a.events <- e })
	a.start()
	m, err := p.Store().MessageBySeq(ctx, old.Seq)
	if err != nil || m.State != store.StateFailed {
		t.Fatalf("after the expiry: state %q, %v", m.State, err)
	}
	if n, _ := p.Store().OutboxLen(ctx); n != 0 {
		t.Fatalf("%d outbox entries left", n)
	}
	select {
	case e := <-a.events:
		if e.Kind != EventMessageState || e.State != store.StateFailed {
			t.Fatalf("event %+v", e)
		}
	default:
		t.Fatal("no failed event")
	}
	if !a.logs.contains("outgoing message given up") {
		t.Fatal("not logged")
	}
}
