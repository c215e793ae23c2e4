package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// TestQuotesBothWays: a reply with a quote travels from the desktop through
// Alice's phone to Bob's phone and back, in 1:1 and in a group. On the
// wire the quote is part of the text (e2e.QuoteText, as the Threema apps
// write it); Bob's phone reads it from the text, the desktop shows it
// (sender and quoted text) and keeps it in its cache.
func TestQuotesBothWays(t *testing.T) {
	w := newWorld(t)
	bobIn := phoneMessages(w.bob)
	d, ev := pairedDesktop(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}

	group, err := d.People.CreateGroup("Quoters", []string{w.bob.ID()})
	if err != nil {
		t.Fatal(err)
	}
	groupR := app.Receiver{Type: app.ReceiverGroup, ID: group.ID}
	var bobGroup store.Group
	waitFor(t, "Bob in the group", func() bool {
		gs, err := w.bob.Groups(ctx)
		for _, g := range gs {
			if err == nil && g.Name == "Quoters" {
				bobGroup = g
				return true
			}
		}
		return false
	})

	for _, tc := range []struct {
		name     string
		r        app.Receiver
		bobSends func(text string) (store.Message, error)
	}{
		{"1:1", bobR, func(text string) (store.Message, error) { return w.bob.SendText(ctx, w.alice.ID(), text) }},
		{"group", groupR, func(text string) (store.Message, error) {
			return w.bob.SendGroupText(ctx, bobGroup.Creator, bobGroup.ID, text)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Desktop → Bob: the original, then Bob's reply quoting it.
			first, err := d.Chat.SendText(tc.r, "the original "+tc.name, "")
			if err != nil {
				t.Fatal(err)
			}
			orig := waitMessage(t, bobIn, func(m store.Message) bool { return m.Body == "the original "+tc.name })
			if _, err := tc.bobSends(e2e.QuoteText(orig.MessageID, "Bob agrees "+tc.name)); err != nil {
				t.Fatal(err)
			}
			var bobReply app.Message
			ev.wait(t, "Bob's quoted reply", func(e app.Event) bool {
				me, ok := e.Data.(app.MessagesEvent)
				if !ok || me.Receiver != tc.r {
					return false
				}
				for _, m := range me.Messages {
					if m.Text == "Bob agrees "+tc.name {
						bobReply = m
						return true
					}
				}
				return false
			})
			if q := bobReply.Quote; q == nil || q.Identity != w.alice.ID() || q.Text != "the original "+tc.name {
				t.Fatalf("Bob's reply on the desktop: text %q, quote %+v", bobReply.Text, bobReply.Quote)
			}

			// Desktop → Bob: a reply quoting Bob's reply.
			reply, err := d.Chat.SendText(tc.r, "Alice answers "+tc.name, bobReply.ID)
			if err != nil || reply.Quote == nil || reply.Quote.Text != "Bob agrees "+tc.name {
				t.Fatalf("desktop reply %+v: %v", reply, err)
			}
			got := waitMessage(t, bobIn, func(m store.Message) bool {
				_, text, _ := e2e.ParseQuote(m.Body)
				return text == "Alice answers "+tc.name
			})
			quoted, _, ok := e2e.ParseQuote(got.Body)
			mine, err := w.bob.Store().MessageInConversation(ctx, got.Conversation, quoted)
			if !ok || err != nil || !mine.Outgoing {
				t.Fatalf("Bob's phone: quote of %x (ok %v) is not Bob's reply: %+v, %v", quoted, ok, mine, err)
			}
			if _, text, _ := e2e.ParseQuote(mine.Body); text != "Bob agrees "+tc.name {
				t.Fatalf("Bob's phone: the desktop quoted %q", mine.Body)
			}

			// The quotes stay after a reload from the cache.
			_ = first
			page, err := d.Chat.Messages(tc.r, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			for _, m := range page.Messages {
				switch m.Text {
				case "Bob agrees " + tc.name:
					if m.Quote != nil && m.Quote.Text == "the original "+tc.name {
						found++
					}
				case "Alice answers " + tc.name:
					if m.Quote != nil && m.Quote.Text == "Bob agrees "+tc.name && m.Quote.Identity == w.bob.ID() {
						found++
					}
				}
			}
			if found != 2 {
				t.Fatalf("after reload %d of 2 quotes: %+v", found, page.Messages)
			}
		})
	}
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMessage returns the first message from ch that matches.
func waitMessage(t *testing.T, ch <-chan store.Message, match func(store.Message) bool) store.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		select {
		case m := <-ch:
			if match(m) {
				return m
			}
		case <-ctx.Done():
			t.Fatal("message never arrived")
		}
	}
}
