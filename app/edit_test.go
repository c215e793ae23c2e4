package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
)

// TestEditAndDeleteForEveryone: the desktop edits its own text to Bob (Bob's
// phone shows the new text, the desktop the message marked edited), deletes
// another for everyone (gone on Bob's phone and on the desktop), is refused
// for Bob's message, and for a contact whose app cannot show edits or
// deletions gets unsupportedByRecipient while nothing changes.
func TestEditAndDeleteForEveryone(t *testing.T) {
	w := newWorld(t)
	bobEv := make(chan phone.Event, 100)
	w.bob.Subscribe(func(e phone.Event) {
		if e.Message != nil {
			bobEv <- e
		}
	})
	d, ev := pairedDesktop(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	if lim, _ := d.Chat.Limits(); !lim.CanEdit {
		t.Fatalf("Kurier's phone edits, limits say %+v", lim)
	}
	bobGot := func(what string, match func(phone.Event) bool) phone.Event {
		t.Helper()
		for {
			select {
			case e := <-bobEv:
				if match(e) {
					return e
				}
			case <-ctx.Done():
				t.Fatalf("Bob's phone never saw %s", what)
			}
		}
	}

	// Edit: Bob's phone shows the new text, the desktop the edited message.
	sent, err := d.Chat.SendText(bobR, "see you at 8", "")
	if err != nil {
		t.Fatal(err)
	}
	atBob := bobGot("the text", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "see you at 8" })
	if err := d.Chat.EditMessage(bobR, sent.ID, "see you at 9"); err != nil {
		t.Fatal(err)
	}
	edited := bobGot("the edit", func(e phone.Event) bool { return e.Kind == phone.EventMessageEdited })
	if edited.Message.MessageID != atBob.Message.MessageID || edited.Message.Body != "see you at 9" || edited.Message.EditedAt.IsZero() {
		t.Fatalf("Bob's phone shows %+v", edited.Message)
	}
	ev.wait(t, "the edited message on the desktop", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
			return m.ID == sent.ID && m.Text == "see you at 9" && m.Edited > 0 && m.Outgoing
		})
	})

	// Delete for everyone: gone on Bob's phone and on the desktop.
	oops, err := d.Chat.SendText(bobR, "wrong chat, sorry", "")
	if err != nil {
		t.Fatal(err)
	}
	bobGot("the second text", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "wrong chat, sorry" })
	if err := d.Chat.DeleteForEveryone(bobR, oops.ID); err != nil {
		t.Fatal(err)
	}
	gone := bobGot("the deletion", func(e phone.Event) bool { return e.Kind == phone.EventMessageDeleted })
	if m, err := w.bob.Store().MessageBySeq(ctx, gone.Message.Seq); err != nil || m.DeletedAt.IsZero() || m.Body != "" {
		t.Fatalf("Bob's phone keeps %+v: %v", m, err)
	}
	ev.wait(t, "the deletion on the desktop", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.Contains(me.Removed, oops.ID)
	})
	page, err := d.Chat.Messages(bobR, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(page.Messages, func(m app.Message) bool { return m.ID == oops.ID }) {
		t.Fatal("the deleted message is still on the desktop")
	}

	// Bob's own message is not the desktop's to change.
	if _, err := w.bob.SendText(ctx, w.alice.ID(), "my words"); err != nil {
		t.Fatal(err)
	}
	his := ev.wait(t, "Bob's message", messageEvent("my words", false)).Data.(app.MessagesEvent)
	hisID := his.Messages[0].ID
	if err := d.Chat.EditMessage(bobR, hisID, "your words"); app.CodeOf(err) != app.CodeNotAllowed {
		t.Fatalf("edit of Bob's message: %v (%s)", err, app.CodeOf(err))
	}
	if err := d.Chat.DeleteForEveryone(bobR, hisID); app.CodeOf(err) != app.CodeNotAllowed {
		t.Fatalf("delete of Bob's message: %v (%s)", err, app.CodeOf(err))
	}

	// Input the desktop refuses before asking the phone.
	for _, bad := range []struct {
		name string
		err  error
	}{
		{"no message", d.Chat.EditMessage(bobR, "", "x")},
		{"too long", d.Chat.EditMessage(bobR, sent.ID, strings.Repeat("x", 100_000))},
		{"not UTF-8", d.Chat.EditMessage(bobR, sent.ID, "\xff")},
		{"bad receiver", d.Chat.DeleteForEveryone(app.Receiver{Type: app.ReceiverContact, ID: "bob"}, sent.ID)},
		{"no message to delete", d.Chat.DeleteForEveryone(bobR, "")},
	} {
		if !errors.Is(bad.err, app.ErrInvalid) {
			t.Errorf("%s: %v", bad.name, bad.err)
		}
	}

	// A contact whose app cannot show edits or deletions: the phone says
	// so and changes nothing.
	old := phonetest.Identity(t, w.backendFile, csp.FeatureGroups|csp.FeatureFile)
	if _, err := w.alice.AddContact(ctx, old); err != nil {
		t.Fatal(err)
	}
	oldR := app.Receiver{Type: app.ReceiverContact, ID: old}
	kept, err := d.Chat.SendText(oldR, "this stays", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Chat.EditMessage(oldR, kept.ID, "changed"); app.CodeOf(err) != app.CodeUnsupportedByRecipient {
		t.Fatalf("edit to an older app: %v (%s)", err, app.CodeOf(err))
	}
	if err := d.Chat.DeleteForEveryone(oldR, kept.ID); app.CodeOf(err) != app.CodeUnsupportedByRecipient {
		t.Fatalf("delete to an older app: %v (%s)", err, app.CodeOf(err))
	}
	msgs, err := w.alice.Store().Messages(ctx, store.ContactKey(old), 0, 10)
	if err != nil || len(msgs) != 1 || msgs[0].Body != "this stays" || !msgs[0].EditedAt.IsZero() || !msgs[0].DeletedAt.IsZero() {
		t.Fatalf("the phone keeps %+v: %v", msgs, err)
	}
}

// TestEditNeedsThePhone: before the phone is connected the desktop cannot
// know whether it edits: the calls say that the phone is not connected.
func TestEditNeedsThePhone(t *testing.T) {
	w := newWorld(t)
	d, _ := startDesktop(t, t.TempDir(), w.sig)
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	if err := d.Chat.EditMessage(bobR, "1", "x"); app.CodeOf(err) != app.CodeNotConnected {
		t.Fatalf("edit: %v", err)
	}
	if err := d.Chat.DeleteForEveryone(bobR, "1"); app.CodeOf(err) != app.CodeNotConnected {
		t.Fatalf("delete: %v", err)
	}
	if lim, _ := d.Chat.Limits(); lim.CanEdit {
		t.Fatalf("limits before any phone: %+v", lim)
	}
}

// TestGroupEditAndDeleteForEveryone: in a group of three (the desktop's
// Alice, Bob and Carol, real phones) the desktop edits its text — Bob's and
// Carol's phones show the new text, edited, and so does the desktop — and
// deletes another for everyone: gone on both phones and on the desktop. A
// member's message is not the desktop's to change, but the member's own
// edit of it shows on the desktop.
func TestGroupEditAndDeleteForEveryone(t *testing.T) {
	w := newWorld(t)
	carol, carolEv := phonetest.Phone(t, w.backendFile, "Carol")
	bobEv := make(chan phone.Event, 100)
	w.bob.Subscribe(func(e phone.Event) {
		if e.Message != nil {
			bobEv <- e
		}
	})
	d, ev := pairedDesktop(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	group, err := d.People.CreateGroup("Trio", []string{w.bob.ID(), carol.ID()})
	if err != nil {
		t.Fatal(err)
	}
	groupR := app.Receiver{Type: app.ReceiverGroup, ID: group.ID}
	got := func(events <-chan phone.Event, who, what string, match func(phone.Event) bool) phone.Event {
		t.Helper()
		for {
			select {
			case e := <-events:
				if e.Message != nil && match(e) {
					return e
				}
			case <-ctx.Done():
				t.Fatalf("%s's phone never saw %s", who, what)
			}
		}
	}
	both := func(what string, match func(phone.Event) bool) phone.Event {
		t.Helper()
		e := got(bobEv, "Bob", what, match)
		got(carolEv, "Carol", what, match)
		return e
	}

	sent, err := d.Chat.SendText(groupR, "dinner at 7", "")
	if err != nil {
		t.Fatal(err)
	}
	at := both("the text", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "dinner at 7" })
	if err := d.Chat.EditMessage(groupR, sent.ID, "dinner at 8"); err != nil {
		t.Fatal(err)
	}
	edited := both("the edit", func(e phone.Event) bool {
		return e.Kind == phone.EventMessageEdited && e.MessageID == at.MessageID && e.Message.Body == "dinner at 8"
	})
	if edited.Message.EditedAt.IsZero() || edited.Conversation != at.Conversation {
		t.Fatalf("Bob's phone shows %+v", edited.Message)
	}
	ev.wait(t, "the edited message on the desktop", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
			return m.ID == sent.ID && m.Text == "dinner at 8" && m.Edited > 0 && m.Receiver == groupR
		})
	})

	oops, err := d.Chat.SendText(groupR, "wrong group, sorry", "")
	if err != nil {
		t.Fatal(err)
	}
	at = both("the second text", func(e phone.Event) bool {
		return e.Kind == phone.EventMessage && e.Message.Body == "wrong group, sorry"
	})
	if err := d.Chat.DeleteForEveryone(groupR, oops.ID); err != nil {
		t.Fatal(err)
	}
	both("the deletion", func(e phone.Event) bool { return e.Kind == phone.EventMessageDeleted && e.MessageID == at.MessageID })
	for _, p := range []*phone.Phone{w.bob, carol} {
		if m, err := p.Store().MessageInConversation(ctx, at.Conversation, at.MessageID); err != nil || m.DeletedAt.IsZero() || m.Body != "" {
			t.Fatalf("%s keeps %+v: %v", p.ID(), m, err)
		}
	}
	ev.wait(t, "the deletion on the desktop", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.Contains(me.Removed, oops.ID)
	})

	// Bob's message in the group: refused, unchanged everywhere.
	creator, gid, _ := store.ParseGroupKey(at.Conversation)
	if _, err := w.bob.SendGroupText(ctx, creator, gid, "Bob says hi"); err != nil {
		t.Fatal(err)
	}
	his := ev.wait(t, "Bob's group message", messageEvent("Bob says hi", false)).Data.(app.MessagesEvent)
	hisID := his.Messages[0].ID
	if err := d.Chat.EditMessage(groupR, hisID, "Alice says hi"); app.CodeOf(err) != app.CodeNotAllowed {
		t.Fatalf("edit of Bob's message: %v (%s)", err, app.CodeOf(err))
	}
	if err := d.Chat.DeleteForEveryone(groupR, hisID); app.CodeOf(err) != app.CodeNotAllowed {
		t.Fatalf("delete of Bob's message: %v (%s)", err, app.CodeOf(err))
	}
	got(carolEv, "Carol", "Bob's message", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "Bob says hi" })
	time.Sleep(200 * time.Millisecond)
	for len(carolEv) > 0 {
		if e := <-carolEv; e.Kind == phone.EventMessageEdited || e.Kind == phone.EventMessageDeleted {
			t.Fatalf("Carol's phone got %s after the refusals", e.Kind)
		}
	}

	// Bob edits his own: the desktop shows it, marked edited.
	bobs, err := w.bob.Store().Messages(ctx, at.Conversation, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(bobs, func(m store.Message) bool { return m.Outgoing && m.Body == "Bob says hi" })
	if i < 0 {
		t.Fatalf("Bob's phone has no own group message: %+v", bobs)
	}
	if _, err := w.bob.EditMessage(ctx, at.Conversation, bobs[i].MessageID, "Bob says hello"); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "Bob's edit on the desktop", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
			return m.ID == hisID && m.Text == "Bob says hello" && m.Edited > 0 && !m.Outgoing
		})
	})
}
