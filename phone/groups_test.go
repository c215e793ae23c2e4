package phone

import (
	"slices"
	"testing"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// waitGroup waits for a group event matching f.
func (tp *testPhone) waitGroup(what string, f func(g store.Group) bool) store.Group {
	tp.t.Helper()
	return *tp.wait(what, func(e Event) bool { return e.Kind == EventGroup && f(*e.Group) }).Group
}

func TestGroupLife(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b, c := w.newPhone(t, "A"), w.newPhone(t, "B"), w.newPhone(t, "C")
	for _, p := range []*testPhone{a, b, c} {
		p.start()
	}
	ctx := tctx(t)

	// Create: B and C learn the members and the name.
	g, err := a.CreateGroup(ctx, "hikers", []string{b.ID(), c.ID()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*testPhone{b, c} {
		p.waitGroup("named", func(x store.Group) bool {
			return x.ID == g.ID && x.Creator == a.ID() && x.Name == "hikers" && len(x.Members) == 2
		})
	}

	// Messages: from the creator and from a member; no receipts for groups.
	m, err := a.SendGroupText(ctx, a.ID(), g.ID, "hello group")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*testPhone{b, c} {
		e := p.waitMessage(a.ID())
		if e.Conversation != g.Key() || e.Message.Body != "hello group" || e.MessageID != m.MessageID {
			t.Fatalf("%+v", e.Message)
		}
	}
	a.waitState(m.MessageID, "sent")
	if _, err := b.SendGroupText(ctx, a.ID(), g.ID, "from B"); err != nil {
		t.Fatal(err)
	}
	a.waitMessage(b.ID())
	c.waitMessage(b.ID())
	if _, err := c.SendGroupLocation(ctx, a.ID(), g.ID, e2e.Location{Latitude: 46, Longitude: 7}); err != nil {
		t.Fatal(err)
	}
	a.waitMessage(c.ID())
	b.waitMessage(c.ID())
	if _, err := b.SendGroupFile(ctx, a.ID(), g.ID, FileInput{Name: "f", Data: []byte("group file")}); err != nil {
		t.Fatal(err)
	}
	fe := c.waitMessage(b.ID())
	if data, err := c.DownloadFile(ctx, *fe.Message); err != nil || string(data) != "group file" {
		t.Fatalf("group file: %q %v", data, err)
	}
	a.waitMessage(b.ID())

	// Rename.
	if err := a.RenameGroup(ctx, g.ID, "climbers"); err != nil {
		t.Fatal(err)
	}
	b.waitGroup("renamed", func(x store.Group) bool { return x.Name == "climbers" })
	c.waitGroup("renamed", func(x store.Group) bool { return x.Name == "climbers" })

	// Remove C: C learns it, B sees the new member list; C can no longer post.
	if err := a.RemoveGroupMembers(ctx, g.ID, c.ID()); err != nil {
		t.Fatal(err)
	}
	c.waitGroup("removed", func(x store.Group) bool { return x.Left })
	b.waitGroup("C removed", func(x store.Group) bool { return !slices.Contains(x.Members, c.ID()) })
	if _, err := c.SendGroupText(ctx, a.ID(), g.ID, "still here?"); err == nil {
		t.Fatal("a removed member posted")
	}

	// Add C back.
	if err := a.AddGroupMembers(ctx, g.ID, c.ID()); err != nil {
		t.Fatal(err)
	}
	c.waitGroup("re-added", func(x store.Group) bool { return !x.Left && x.Name == "climbers" })
	b.waitGroup("C back", func(x store.Group) bool { return slices.Contains(x.Members, c.ID()) })

	// B leaves: A and C drop B; B's later messages are refused by the rules.
	if err := b.LeaveGroup(ctx, a.ID(), g.ID); err != nil {
		t.Fatal(err)
	}
	a.waitGroup("B left", func(x store.Group) bool { return !slices.Contains(x.Members, b.ID()) })
	c.waitGroup("B left", func(x store.Group) bool { return !slices.Contains(x.Members, b.ID()) })
	if bg, err := b.Group(ctx, a.ID(), g.ID); err != nil || !bg.Left {
		t.Fatalf("B's group %+v %v", bg, err)
	}

	// Sync request: C asks the creator and gets the setup again.
	if err := c.RequestGroupSync(ctx, a.ID(), g.ID); err != nil {
		t.Fatal(err)
	}
	c.waitGroup("synced", func(x store.Group) bool { return x.Name == "climbers" && len(x.Members) == 1 })

	// No automatic receipts for group messages: A's first message never became delivered.
	time.Sleep(100 * time.Millisecond)
	got, err := a.Store().Message(ctx, g.Key(), a.ID(), m.MessageID)
	if err != nil || got.State != store.StateSent {
		t.Fatalf("group message state %s, %v", got.State, err)
	}
}
