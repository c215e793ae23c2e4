package phone

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

// waitReaction waits for a reaction event on message id from peer whose
// message then has exactly the reactions want ("ID:emoji", newest first).
func (tp *testPhone) waitReaction(id uint64, want ...string) Event {
	tp.t.Helper()
	return tp.wait(fmt.Sprintf("reactions %v on %x", want, id), func(e Event) bool {
		return e.Kind == EventMessageReaction && e.MessageID == id && fmt.Sprint(reactionsOf(*e.Message)) == fmt.Sprint(want)
	})
}

func reactionsOf(m store.Message) []string {
	out := []string{}
	for _, r := range m.Reactions {
		out = append(out, r.Identity+":"+r.Emoji)
	}
	return out
}

func TestReactions1to1(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "A"), w.newPhone(t, "B")
	a.start()
	b.start()
	ctx := tctx(t)
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}
	m, err := a.SendText(ctx, b.ID(), "hi")
	if err != nil {
		t.Fatal(err)
	}
	b.waitMessage(a.ID())
	if c, err := b.Store().Contact(ctx, a.ID()); err != nil || c.FeatureMask&csp.FeatureReactions == 0 {
		t.Fatalf("A's feature mask at B: %+v %v", c, err)
	}

	// B reacts to A's message; A reacts to its own; then B withdraws.
	got, err := b.React(ctx, a.ID(), m.MessageID, "👍", false)
	if err != nil || fmt.Sprint(reactionsOf(got)) != fmt.Sprint([]string{b.ID() + ":👍"}) {
		t.Fatalf("B's react: %v %v", reactionsOf(got), err)
	}
	b.waitReaction(m.MessageID, b.ID()+":👍") // the own event
	a.waitReaction(m.MessageID, b.ID()+":👍")
	if _, err := a.React(ctx, b.ID(), m.MessageID, "🎉", false); err != nil {
		t.Fatal(err)
	}
	b.waitReaction(m.MessageID, a.ID()+":🎉", b.ID()+":👍")
	if _, err := b.React(ctx, a.ID(), m.MessageID, "👍", true); err != nil {
		t.Fatal(err)
	}
	a.waitReaction(m.MessageID, a.ID()+":🎉")
	// Applying twice changes nothing and sends nothing.
	if got, err := a.React(ctx, b.ID(), m.MessageID, "🎉", false); err != nil || len(got.Reactions) != 1 {
		t.Fatalf("again: %v %v", got.Reactions, err)
	}

	// Bad calls.
	if _, err := a.React(ctx, b.ID(), 12345, "👍", false); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown message: %v", err)
	}
	if _, err := a.React(ctx, b.ID(), m.MessageID, "", false); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty emoji: %v", err)
	}
	if _, err := a.React(ctx, b.ID(), m.MessageID, string(make([]byte, e2e.MaxReactionLen+1)), false); !errors.Is(err, ErrInvalid) {
		t.Fatalf("long emoji: %v", err)
	}
	if _, err := a.React(ctx, "l:1", m.MessageID, "👍", false); !errors.Is(err, ErrInvalid) {
		t.Fatalf("list: %v", err)
	}
}

// TestReactionsDropped: a reaction to a message the phone does not have,
// or past the per-identity bound, is dropped (and acked); the receive loop
// goes on.
func TestReactionsDropped(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	x := w.newRaw(t)
	to := mustID(t, a.ID())
	x.send(t, x.seal(t, to, a.PublicKey(), 2001, e2e.Reaction{MessageID: 999, Emoji: "👍"}))
	a.waitRejected(RejectInvalid)
	x.send(t, x.seal(t, to, a.PublicKey(), 2002, e2e.Text{Text: "still here"}))
	a.waitMessage(x.id.String())
	for i := range store.MaxReactionsPerIdentity + 1 {
		x.send(t, x.seal(t, to, a.PublicKey(), uint64(3000+i), e2e.Reaction{MessageID: 2002, Emoji: fmt.Sprintf("e%d", i)}))
	}
	a.waitRejected(RejectInvalid)
	w.waitQueueEmpty(t, a.ID())
	msg, err := a.Store().Message(tctx(t), x.id.String(), x.id.String(), 2002)
	if err != nil || len(msg.Reactions) != store.MaxReactionsPerIdentity {
		t.Fatalf("%d reactions, %v", len(msg.Reactions), err)
	}
}

// TestReactionsLegacy: towards and from a peer without csp.FeatureReactions
// a thumbs up or down is the agree/decline receipt.
func TestReactionsLegacy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	x := w.newRaw(t) // announces no features
	ctx := tctx(t)
	to := mustID(t, a.ID())
	x.send(t, x.seal(t, to, a.PublicKey(), 4001, e2e.Text{Text: "legacy"}))
	a.waitMessage(x.id.String())
	keys, err := e2e.NewPeerKeys(x.id, x.kp.Secret, to, a.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	// next returns the next message other than A's automatic "received" receipt.
	next := func() e2e.Message {
		t.Helper()
		for {
			h, s := e2e.FromEnvelope(x.receive(t))
			m, _, err := e2e.Open(keys, h, s)
			if err != nil {
				t.Fatal(err)
			}
			if r, ok := m.(e2e.DeliveryReceipt); ok && r.Status == e2e.ReceiptReceived {
				continue
			}
			return m
		}
	}
	for _, step := range []struct {
		emoji    string
		withdraw bool
		want     e2e.ReceiptStatus // 0: nothing sent
	}{
		{"👍", false, e2e.ReceiptAcknowledged},
		{"🎉", false, 0},
		{"👍", true, 0},
		{"👎🏽", false, e2e.ReceiptDeclined},
	} {
		if _, err := a.React(ctx, x.id.String(), 4001, step.emoji, step.withdraw); err != nil {
			t.Fatal(err)
		}
		if step.want == 0 {
			continue
		}
		r, ok := next().(e2e.DeliveryReceipt)
		if !ok || r.Status != step.want || len(r.MessageIDs) != 1 || r.MessageIDs[0] != 4001 {
			t.Fatalf("%s: got %+v", step.emoji, r)
		}
	}
	if _, err := a.SendText(ctx, x.id.String(), "after"); err != nil {
		t.Fatal(err)
	}
	if m, ok := next().(e2e.Text); !ok || m.Text != "after" { // nothing for 🎉 and the withdrawal
		t.Fatalf("got %+v", m)
	}

	// X agrees with A's message, then declines: the decline replaces the agree.
	own, err := a.SendText(ctx, x.id.String(), "do you agree?")
	if err != nil {
		t.Fatal(err)
	}
	next()
	xs := x.id.String()
	x.send(t, x.seal(t, to, a.PublicKey(), 4002, e2e.DeliveryReceipt{Status: e2e.ReceiptAcknowledged, MessageIDs: []uint64{own.MessageID}}))
	a.waitReaction(own.MessageID, xs+":👍")
	x.send(t, x.seal(t, to, a.PublicKey(), 4003, e2e.DeliveryReceipt{Status: e2e.ReceiptDeclined, MessageIDs: []uint64{own.MessageID}}))
	a.waitReaction(own.MessageID, xs+":👎")
}

func TestReactionsGroup(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b, c := w.newPhone(t, "A"), w.newPhone(t, "B"), w.newPhone(t, "C")
	for _, p := range []*testPhone{a, b, c} {
		p.start()
	}
	ctx := tctx(t)
	x := w.newRaw(t) // not a member, announces no features
	g, err := a.CreateGroup(ctx, "reactors", []string{b.ID(), c.ID(), x.id.String()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*testPhone{b, c} {
		p.waitGroup("created", func(x store.Group) bool { return x.ID == g.ID })
	}
	m, err := b.SendGroupText(ctx, a.ID(), g.ID, "react to me")
	if err != nil {
		t.Fatal(err)
	}
	a.waitMessage(b.ID())
	c.waitMessage(b.ID())

	// C reacts: A and B see it. A withdraws its own after applying it.
	if _, err := c.React(ctx, g.Key(), m.MessageID, "❤️", false); err != nil {
		t.Fatal(err)
	}
	a.waitReaction(m.MessageID, c.ID()+":❤️")
	b.waitReaction(m.MessageID, c.ID()+":❤️")
	if _, err := a.React(ctx, g.Key(), m.MessageID, "😂", false); err != nil {
		t.Fatal(err)
	}
	b.waitReaction(m.MessageID, a.ID()+":😂", c.ID()+":❤️")
	c.waitReaction(m.MessageID, a.ID()+":😂", c.ID()+":❤️")
	if _, err := a.React(ctx, g.Key(), m.MessageID, "😂", true); err != nil {
		t.Fatal(err)
	}
	b.waitReaction(m.MessageID, c.ID()+":❤️")

	// X, a member without the feature, gets a thumbs up as the group
	// receipt and sends one back, which is its thumbs up.
	keys, err := e2e.NewPeerKeys(x.id, x.kp.Secret, mustID(t, b.ID()), b.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.React(ctx, g.Key(), m.MessageID, "👍", false); err != nil {
		t.Fatal(err)
	}
	for {
		env := x.receive(t)
		if env.Sender.String() != b.ID() {
			continue // A's setup, B's text
		}
		h, s := e2e.FromEnvelope(env)
		got, _, err := e2e.Open(keys, h, s)
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := got.(e2e.GroupDeliveryReceipt); ok {
			if r.Status != e2e.ReceiptAcknowledged || r.MessageIDs[0] != m.MessageID {
				t.Fatalf("%+v", r)
			}
			break
		}
	}
	grp := e2e.Group{Creator: mustID(t, a.ID()), ID: g.ID}
	x.send(t, x.seal(t, mustID(t, c.ID()), c.PublicKey(), 5001,
		e2e.GroupDeliveryReceipt{Group: grp, Status: e2e.ReceiptAcknowledged, MessageIDs: []uint64{m.MessageID}}))
	c.waitReaction(m.MessageID, x.id.String()+":👍", b.ID()+":👍", c.ID()+":❤️")

	// A non-member's reaction is ignored, as is one to an unknown message.
	y := w.newRaw(t)
	y.send(t, y.seal(t, mustID(t, c.ID()), c.PublicKey(), 6001, e2e.GroupReaction{Group: grp, Reaction: e2e.Reaction{MessageID: m.MessageID, Emoji: "💩"}}))
	c.waitRejected(RejectGroup)
	x.send(t, x.seal(t, mustID(t, c.ID()), c.PublicKey(), 6002, e2e.GroupReaction{Group: grp, Reaction: e2e.Reaction{MessageID: 77, Emoji: "💩"}}))
	c.waitRejected(RejectInvalid)
	msg, err := c.Store().MessageInConversation(ctx, g.Key(), m.MessageID)
	if err != nil || len(msg.Reactions) != 3 {
		t.Fatalf("%v %v", reactionsOf(msg), err)
	}
}
