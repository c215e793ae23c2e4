package phone

import (
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"testing"

	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

// The attacks of shared/protocols.md §6 that a malicious server or peer can
// mount against the receiver, each built with protocol/e2e and a raw chat
// client. Each must be rejected, logged with its reason and not stored.

func countMessages(t *testing.T, p *testPhone, conv string) int {
	t.Helper()
	msgs, err := p.Store().Messages(tctx(t), conv, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}

func TestReplayRejectedAlsoAfterRestart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	x := w.newRaw(t)
	env := x.seal(t, mustID(t, a.ID()), a.PublicKey(), 1001, e2e.Text{Text: "once"})
	x.send(t, env)
	a.waitMessage(x.id.String())

	// The server stores it again once A has acked it: a replay.
	w.waitQueueEmpty(t, a.ID())
	x.send(t, env)
	a.waitRejected(RejectReplay)
	// The same boxes under a new message id: the nonce still gives it away.
	env2 := env
	env2.MessageID = 1002
	x.send(t, env2)
	a.waitRejected(RejectReplay)

	a.restart(true)
	w.waitQueueEmpty(t, a.ID())
	x.send(t, env)
	a.waitRejected(RejectReplay)
	if n := countMessages(t, a, x.id.String()); n != 1 {
		t.Fatalf("%d messages stored", n)
	}
	if a.logs.rejected(RejectReplay) != 3 { // one line per rejection, before and after the restart
		t.Fatalf("replay log lines: %d", a.logs.rejected(RejectReplay))
	}
}

func TestReflectionRejected(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	x := w.newRaw(t)
	ctx := tctx(t)
	// A writes to X; X (or the server) sends A's own envelope back with
	// sender and receiver swapped. The shared key is the same both ways.
	m, err := a.SendText(ctx, x.id.String(), "to X")
	if err != nil {
		t.Fatal(err)
	}
	got := x.receive(t)
	if got.MessageID != m.MessageID {
		t.Fatalf("X got %x", got.MessageID)
	}
	got.Sender, got.Receiver = x.id, mustID(t, a.ID())
	got.MessageID++ // not a duplicate of anything X sent
	x.send(t, got)
	e := a.waitRejected(RejectReplay)
	if e.Peer != x.id.String() {
		t.Fatalf("%+v", e)
	}
	if n := countMessages(t, a, x.id.String()); n != 1 { // only A's own message
		t.Fatalf("%d messages", n)
	}
}

func TestMessageIDMismatchRejected(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	x := w.newRaw(t)
	env := x.seal(t, mustID(t, a.ID()), a.PublicKey(), 7, e2e.Text{Text: "reordered"})
	env.MessageID = 8 // the server rewrote the header id
	x.send(t, env)
	a.waitRejected(RejectIDMismatch)
	if a.logs.rejected(RejectIDMismatch) != 1 {
		t.Fatal("not logged")
	}
	if n := countMessages(t, a, x.id.String()); n != 0 {
		t.Fatalf("%d messages", n)
	}
}

func TestMessageForSomeoneElseRejected(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, c := w.newPhone(t, "A"), w.newPhone(t, "C")
	a.start()
	x := w.newRaw(t)

	// Sealed for C, delivered to A with the header's receiver rewritten:
	// the box does not open with A's key.
	env := x.seal(t, mustID(t, c.ID()), c.PublicKey(), 9, e2e.Text{Text: "for C"})
	env.Receiver = mustID(t, a.ID())
	x.send(t, env)
	a.waitRejected(RejectDecrypt)

	// A header still naming C, handed to A by a server (the chat client
	// refuses such a frame itself, so it goes straight to the receive path).
	env = x.seal(t, mustID(t, c.ID()), c.PublicKey(), 10, e2e.Text{Text: "for C"})
	a.out.mu.Lock()
	cl := a.out.client
	a.out.mu.Unlock()
	if err := a.handleBatch(tctx(t), cl, []csp.Envelope{env}); err != nil {
		t.Fatal(err)
	}
	a.waitRejected(RejectNotForMe)
	// And one claiming to come from A itself.
	env = x.seal(t, mustID(t, a.ID()), a.PublicKey(), 11, e2e.Text{Text: "from me?"})
	env.Sender = mustID(t, a.ID())
	if err := a.handleBatch(tctx(t), cl, []csp.Envelope{env}); err != nil {
		t.Fatal(err)
	}
	a.waitRejected(RejectFromSelf)
	if a.logs.rejected(RejectNotForMe) != 1 || a.logs.rejected(RejectDecrypt) != 1 || a.logs.rejected(RejectFromSelf) != 1 {
		t.Fatal("rejections not logged")
	}
	if n := countMessages(t, a, x.id.String()); n != 0 {
		t.Fatalf("%d messages", n)
	}
	if a.logs.contains("for C") {
		t.Fatal("message text in the log")
	}
}

func TestBlockedAndRevokedSendersDropped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	x := w.newRaw(t)
	ctx := tctx(t)
	if _, err := a.AddContact(ctx, x.id.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.BlockContact(ctx, x.id.String(), true); err != nil {
		t.Fatal(err)
	}
	x.send(t, x.seal(t, mustID(t, a.ID()), a.PublicKey(), 1, e2e.Text{Text: "blocked"}))
	a.waitRejected(RejectBlocked)
	if _, err := a.BlockContact(ctx, x.id.String(), false); err != nil {
		t.Fatal(err)
	}
	x.send(t, x.seal(t, mustID(t, a.ID()), a.PublicKey(), 2, e2e.Text{Text: "unblocked"}))
	a.waitMessage(x.id.String())
}

func TestRevokedUnknownSenderDropped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A") // offline for now
	y := w.newRaw(t)
	y.send(t, y.seal(t, mustID(t, a.ID()), a.PublicKey(), 5, e2e.Text{Text: "before revocation"}))
	dc, err := dirclient.New(w.b.Provisioning().Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := dc.Revoke(tctx(t), y.id.String(), y.kp); err != nil {
		t.Fatal(err)
	}
	a.start()
	a.waitRejected(RejectRevoked)
	w.waitQueueEmpty(t, a.ID()) // dropped and acked
	if n := countMessages(t, a, y.id.String()); n != 0 {
		t.Fatalf("%d messages", n)
	}
}
