package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
)

// TestReactionsAndEdits: the desktop reacts to Bob's message with any
// emoji and takes it back (Bob's phone sees both); Bob's reaction to a
// message from the desktop shows on it with who reacted; Bob's edit shows
// as edited with the new text.
func TestReactionsAndEdits(t *testing.T) {
	w := newWorld(t)
	type reaction struct {
		peer, emoji string
		withdraw    bool
	}
	bobSaw := make(chan reaction, 100)
	bobIn := make(chan store.Message, 100)
	w.bob.Subscribe(func(e phone.Event) {
		switch {
		case e.Kind == phone.EventMessageReaction:
			bobSaw <- reaction{e.Peer, e.Emoji, e.Withdraw}
		case e.Kind == phone.EventMessage && e.Message != nil:
			bobIn <- *e.Message
		}
	})
	d, ev := pairedDesktop(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	if lim, _ := d.Chat.Limits(); !lim.AnyReaction {
		t.Fatalf("Kurier's phone takes any emoji, limits say %+v", lim)
	}

	// The desktop reacts to Bob's message, then takes it back.
	bobMsg, err := w.bob.SendText(ctx, w.alice.ID(), "the cake is ready")
	if err != nil {
		t.Fatal(err)
	}
	got := ev.wait(t, "Bob's message", messageEvent("the cake is ready", false)).Data.(app.MessagesEvent)
	id := got.Messages[0].ID
	if err := d.Chat.React(bobR, id, "🎉", false); err != nil {
		t.Fatal(err)
	}
	if r := <-bobSaw; r != (reaction{w.alice.ID(), "🎉", false}) {
		t.Fatalf("Bob's phone saw %+v", r)
	}
	ev.wait(t, "the desktop's own reaction shown", func(e app.Event) bool {
		return hasReaction(e, id, "🎉", w.alice.ID())
	})
	if err := d.Chat.React(bobR, id, "🎉", true); err != nil {
		t.Fatal(err)
	}
	if r := <-bobSaw; r != (reaction{w.alice.ID(), "🎉", true}) {
		t.Fatalf("Bob's phone saw %+v", r)
	}
	if err := d.Chat.React(bobR, id, "", false); err == nil {
		t.Fatal("an empty reaction was taken")
	}

	// Bob reacts to the desktop's message.
	if _, err := d.Chat.SendText(bobR, "shall I bring coffee?", ""); err != nil {
		t.Fatal(err)
	}
	mine := waitMessage(t, bobIn, func(m store.Message) bool { return m.Body == "shall I bring coffee?" })
	if _, err := w.bob.React(ctx, w.alice.ID(), mine.MessageID, "👍", false); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "Bob's 👍 on the desktop's message", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
			return m.Text == "shall I bring coffee?" && len(m.Reactions) == 1 && m.Reactions[0].Emoji == "👍" &&
				slices.Equal(m.Reactions[0].Identities, []string{w.bob.ID()})
		})
	})

	// Bob edits his message: the desktop shows the new text, marked edited.
	if _, err := w.bob.EditMessage(ctx, w.alice.ID(), bobMsg.MessageID, "the cake is gone"); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "Bob's edit", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
			return m.ID == id && m.Text == "the cake is gone" && m.Edited > 0
		})
	})
}

// hasReaction reports whether e shows message id with emoji by who.
func hasReaction(e app.Event, id, emoji, who string) bool {
	me, ok := e.Data.(app.MessagesEvent)
	return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
		return m.ID == id && slices.ContainsFunc(m.Reactions, func(r app.Reaction) bool {
			return r.Emoji == emoji && slices.Contains(r.Identities, who)
		})
	})
}
