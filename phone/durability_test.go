package phone

import (
	"fmt"
	"testing"

	"github.com/kurier/kurier/phone/store"
)

func TestOfflineDelivery(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "A"), w.newPhone(t, "B")
	a.start() // B is initialized but offline
	ctx := tctx(t)
	var ids []uint64
	for i := range 5 {
		m, err := a.SendText(ctx, b.ID(), fmt.Sprintf("offline %d", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.MessageID)
	}
	for _, id := range ids {
		a.waitState(id, "sent") // queued by the server
	}
	b.start()
	for i, id := range ids {
		e := b.waitMessage(a.ID())
		if e.MessageID != id || e.Message.Body != fmt.Sprintf("offline %d", i) {
			t.Fatalf("message %d: %+v", i, e.Message)
		}
	}
	for _, id := range ids {
		a.waitState(id, "delivered")
	}
}

func TestRestartMidConversation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "A"), w.newPhone(t, "B")
	a.start()
	b.start()
	ctx := tctx(t)
	for i := range 3 {
		if _, err := a.SendText(ctx, b.ID(), fmt.Sprintf("before %d", i)); err != nil {
			t.Fatal(err)
		}
		b.waitMessage(a.ID())
	}

	// B goes down; A writes on; B comes back on the same data directory.
	b.restart(false)
	for i := range 2 {
		if _, err := a.SendText(ctx, b.ID(), fmt.Sprintf("during %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	b.start()
	b.waitMessage(a.ID())
	b.waitMessage(a.ID())

	// A goes down with messages in its outbox that the server never saw
	// (what a SIGKILL between the commit and the send leaves behind).
	a.stop()
	var pending []store.Message
	for i := range 3 {
		m, err := a.SendText(ctx, b.ID(), fmt.Sprintf("outbox %d", i))
		if err != nil {
			t.Fatal(err)
		}
		pending = append(pending, m)
	}
	if n, err := a.Store().OutboxLen(ctx); err != nil || n != 3 {
		t.Fatalf("outbox %d %v", n, err)
	}
	a.restart(true)
	for _, m := range pending {
		e := b.waitMessage(a.ID())
		if e.MessageID != m.MessageID {
			t.Fatalf("got %x, want %x (order)", e.MessageID, m.MessageID)
		}
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range pending {
		got, err := a.Store().MessageBySeq(ctx, m.Seq)
		if err != nil || got.State == store.StateSending {
			t.Fatalf("after restart: %+v %v", got, err)
		}
	}

	// History kept, nothing twice, on both sides, after one more restart.
	b.restart(true)
	msgs, err := b.Store().Messages(ctx, a.ID(), 0, 0)
	if err != nil || len(msgs) != 8 {
		t.Fatalf("B's history: %d, %v", len(msgs), err)
	}
	seen := map[uint64]bool{}
	for _, m := range msgs {
		if seen[m.MessageID] {
			t.Fatalf("duplicate %x", m.MessageID)
		}
		seen[m.MessageID] = true
	}
	if am, err := a.Store().Messages(ctx, b.ID(), 0, 0); err != nil || len(am) != 8 {
		t.Fatalf("A's history: %d, %v", len(am), err)
	}
	in, out, err := b.Store().NonceCount(ctx)
	if err != nil || in < 8 || out < 1 { // 8 texts in; receipts (batched) out
		t.Fatalf("B's nonces: %d in, %d out, %v", in, out, err)
	}
}
