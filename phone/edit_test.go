package phone

import (
	"errors"
	"testing"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// TestGroupEditAndDelete: in a group of Alice (creator), Bob, Carol and X
// (an app without edits or deletions), Alice's edit reaches Bob and Carol
// as one 0x93 and nothing goes to X; her delete for everyone (0x94) removes
// the message on both phones. Bob cannot change Alice's message, a forged
// edit of it from X is refused, while X's edit of its own message applies.
// In a group whose other members all lack the feature nothing changes.
func TestGroupEditAndDelete(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b, c := w.newPhone(t, "Alice"), w.newPhone(t, "Bob"), w.newPhone(t, "Carol")
	for _, p := range []*testPhone{a, b, c} {
		p.start()
	}
	x := w.newRaw(t)
	ctx := tctx(t)
	g, err := a.CreateGroup(ctx, "trip", []string{b.ID(), c.ID(), x.id.String()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*testPhone{b, c} {
		p.waitGroup("named", func(x store.Group) bool { return x.Name == "trip" })
	}
	// X gets the setup and the name.
	x.receive(t)
	x.receive(t)
	sendText := func(text string) store.Message {
		t.Helper()
		m, err := a.SendGroupText(ctx, a.ID(), g.ID, text)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []*testPhone{b, c} {
			p.wait("the text", func(e Event) bool { return e.Kind == EventMessage && e.MessageID == m.MessageID })
		}
		if env := x.receive(t); env.MessageID != m.MessageID {
			t.Fatalf("X got message %x before the text %x", env.MessageID, m.MessageID)
		}
		return m
	}

	// Alice edits: Bob and Carol show the new text, marked edited.
	m := sendText("see you at 8")
	edited, err := a.EditMessage(ctx, g.Key(), m.MessageID, "see you at 9")
	if err != nil || edited.Body != "see you at 9" || edited.EditedAt.IsZero() {
		t.Fatalf("edit: %+v %v", edited, err)
	}
	for _, p := range []*testPhone{b, c} {
		e := p.wait("the edit", func(e Event) bool { return e.Kind == EventMessageEdited && e.MessageID == m.MessageID })
		if e.Conversation != g.Key() || e.Peer != a.ID() || e.Message.Body != "see you at 9" || e.Message.EditedAt.IsZero() {
			t.Fatalf("%s shows %+v", p.ID(), e.Message)
		}
	}
	// X, without the edit feature, got nothing: its next message is the next text.
	m2 := sendText("bring boots")

	// Bob cannot change Alice's message.
	if _, err := b.EditMessage(ctx, g.Key(), m2.MessageID, "bring sandals"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Bob's edit of Alice's message: %v", err)
	}
	if err := b.DeleteMessage(ctx, g.Key(), m2.MessageID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Bob's delete of Alice's message: %v", err)
	}
	// A forged edit of Alice's message from member X is refused by Bob's phone.
	grp := e2e.Group{Creator: mustID(t, a.ID()), ID: g.ID}
	bID := mustID(t, b.ID())
	x.send(t, x.seal(t, bID, b.PublicKey(), 501, e2e.GroupEditMessage{Group: grp, Edit: e2e.EditMessage{MessageID: m2.MessageID, Text: "forged"}}))
	b.waitRejected(RejectInvalid)
	x.send(t, x.seal(t, bID, b.PublicKey(), 502, e2e.GroupDeleteMessage{Group: grp, Delete: e2e.DeleteMessage{MessageID: m2.MessageID}}))
	b.waitRejected(RejectInvalid)
	if got, err := b.Store().Message(ctx, g.Key(), a.ID(), m2.MessageID); err != nil || got.Body != "bring boots" || !got.EditedAt.IsZero() || !got.DeletedAt.IsZero() {
		t.Fatalf("Bob's copy after the forgeries: %+v %v", got, err)
	}
	// X's edit of its own group message applies.
	x.send(t, x.seal(t, bID, b.PublicKey(), 503, e2e.GroupText{Group: grp, Text: "hi from X"}))
	b.waitMessage(x.id.String())
	x.send(t, x.seal(t, bID, b.PublicKey(), 504, e2e.GroupEditMessage{Group: grp, Edit: e2e.EditMessage{MessageID: 503, Text: "hello from X"}}))
	if e := b.wait("X's edit", func(e Event) bool { return e.Kind == EventMessageEdited && e.MessageID == 503 }); e.Message.Body != "hello from X" {
		t.Fatalf("X's edit: %+v", e.Message)
	}

	// Alice deletes for everyone: gone on Bob's and Carol's phones.
	if err := a.DeleteMessage(ctx, g.Key(), m.MessageID); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*testPhone{b, c} {
		p.wait("the deletion", func(e Event) bool { return e.Kind == EventMessageDeleted && e.MessageID == m.MessageID })
		if got, err := p.Store().Message(ctx, g.Key(), a.ID(), m.MessageID); err != nil || got.DeletedAt.IsZero() || got.Body != "" {
			t.Fatalf("%s keeps %+v %v", p.ID(), got, err)
		}
	}
	if _, err := a.EditMessage(ctx, g.Key(), m.MessageID, "again"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("edit of a deleted message: %v", err)
	}
	// A location has no text to edit; a text cannot become blank.
	loc, err := a.SendGroupLocation(ctx, a.ID(), g.ID, e2e.Location{Latitude: 46, Longitude: 7})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.EditMessage(ctx, g.Key(), loc.MessageID, "elsewhere"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("edit of a location: %v", err)
	}
	if _, err := a.EditMessage(ctx, g.Key(), m2.MessageID, "  "); !errors.Is(err, ErrInvalid) {
		t.Fatalf("edit to blank: %v", err)
	}

	// A group whose other member cannot show edits: nothing changes.
	g2, err := a.CreateGroup(ctx, "old apps", []string{x.id.String()})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := a.SendGroupText(ctx, a.ID(), g2.ID, "this stays")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.EditMessage(ctx, g2.Key(), kept.MessageID, "changed"); !errors.Is(err, ErrFeatureUnsupported) {
		t.Fatalf("edit with no capable member: %v", err)
	}
	if err := a.DeleteMessage(ctx, g2.Key(), kept.MessageID); !errors.Is(err, ErrFeatureUnsupported) {
		t.Fatalf("delete with no capable member: %v", err)
	}
	if got, err := a.Store().MessageBySeq(ctx, kept.Seq); err != nil || got.Body != "this stays" || !got.EditedAt.IsZero() || !got.DeletedAt.IsZero() {
		t.Fatalf("after the refusals: %+v %v", got, err)
	}
}
