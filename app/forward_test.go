package app_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
)

// TestForward: a text and an image from Bob's conversation are forwarded
// to a group and back to Bob; Bob's phone gets the same text and the same
// file bytes (with the caption) in both conversations. The desktop's own
// message shows when it was delivered (the phone's message events).
func TestForward(t *testing.T) {
	w := newWorld(t)
	bobIn := phoneMessages(w.bob)
	d, ev := pairedDesktop(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	group, err := d.People.CreateGroup("Forwarders", []string{w.bob.ID()})
	if err != nil {
		t.Fatal(err)
	}
	groupR := app.Receiver{Type: app.ReceiverGroup, ID: group.ID}
	waitFor(t, "Bob in the group", func() bool {
		gs, err := w.bob.Groups(ctx)
		return err == nil && slices.ContainsFunc(gs, func(g store.Group) bool { return g.Name == "Forwarders" })
	})

	if _, err := w.bob.SendText(ctx, w.alice.ID(), "pass this on"); err != nil {
		t.Fatal(err)
	}
	text := ev.wait(t, "Bob's text", messageEvent("pass this on", false)).Data.(app.MessagesEvent)
	img := testPNG(t)
	if _, err := w.bob.SendFile(ctx, w.alice.ID(), phone.FileInput{Name: "fwd.png", MIME: "image/png", Data: img, Caption: "a forwarded picture"}); err != nil {
		t.Fatal(err)
	}
	image := ev.wait(t, "Bob's image", messageEvent("a forwarded picture", false)).Data.(app.MessagesEvent)

	for _, tc := range []struct {
		name string
		id   string
		want func(store.Message) bool
	}{
		{"text", idOf(text, "pass this on"), func(m store.Message) bool { return m.Body == "pass this on" }},
		{"image", idOf(image, "a forwarded picture"), func(m store.Message) bool {
			if m.Body != "a forwarded picture" {
				return false
			}
			b, err := w.bob.DownloadFile(ctx, m)
			if err != nil || !bytes.Equal(b, img) {
				t.Errorf("Bob's phone got %d bytes (%v), want the %d of the image", len(b), err, len(img))
			}
			return true
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sent, err := d.Chat.Forward(bobR, tc.id, []app.Receiver{groupR, bobR, groupR})
			if err != nil || len(sent) != 2 {
				t.Fatalf("Forward: %d messages, %v", len(sent), err)
			}
			if sent[0].Receiver != groupR || sent[1].Receiver != bobR || sent[0].Quote != nil {
				t.Fatalf("forwarded: %+v", sent)
			}
			seen := map[string]bool{}
			for len(seen) < 2 {
				m := waitMessage(t, bobIn, tc.want)
				seen[m.Conversation] = true
			}
		})
	}

	// Bad requests.
	many := make([]app.Receiver, 21)
	for i := range many {
		many[i] = bobR
	}
	textID := idOf(text, "pass this on")
	for name, to := range map[string][]app.Receiver{"none": nil, "too many": many, "bad receiver": {{Type: "x", ID: "y"}}} {
		if _, err := d.Chat.Forward(bobR, textID, to); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := d.Chat.Forward(bobR, "no-such-message", []app.Receiver{groupR}); err == nil {
		t.Error("forwarded a message that does not exist")
	}

	// Details: the desktop's message shows when Bob's phone got it.
	mine, err := d.Chat.SendText(bobR, "when did this arrive?", "")
	if err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "the delivery time", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && slices.ContainsFunc(me.Messages, func(m app.Message) bool {
			return m.ID == mine.ID && m.Delivered > 0 && m.Sent > 0
		})
	})
}

// idOf returns the id of the message with text in a messages event.
func idOf(e app.MessagesEvent, text string) string {
	for _, m := range e.Messages {
		if m.Text == text {
			return m.ID
		}
	}
	return ""
}
