package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone/store"
)

// TestCacheFollowsThePhoneAfterAnAbsence: what changed on the phone while
// the desktop was away, with no push to tell it, reaches the cache with the
// next newest page: Bob's edit replaces the text, and his deletion for
// everyone takes the message out of the cache and the search index, so the
// desktop shows neither the old text nor the deleted message when the
// phone is away again; the UI is told of the deletion as a removed message.
func TestCacheFollowsThePhoneAfterAnAbsence(t *testing.T) {
	w := newWorld(t)
	d, ev := pairedDesktop(t, w)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}

	sent := map[string]store.Message{}
	var goneID string // the desktop's id of the message Bob deletes
	for _, text := range []string{"this one stays", "this one changes", "this one goes"} {
		m, err := w.bob.SendText(ctx, w.alice.ID(), text)
		if err != nil {
			t.Fatal(err)
		}
		sent[text] = m
		got := ev.wait(t, text, messageEvent(text, false)).Data.(app.MessagesEvent)
		if text == "this one goes" {
			goneID = got.Messages[0].ID
		}
	}
	if page, err := d.Chat.Messages(bobR, "", 50); err != nil || len(page.Messages) != 3 {
		t.Fatalf("before the absence: %+v, %v", page.Messages, err)
	}

	mark := ev.mark()
	w.stopDesktops()
	ev.waitFrom(t, mark, "disconnected", linkState(app.LinkDisconnected))
	if _, err := w.bob.EditMessage(ctx, w.alice.ID(), sent["this one changes"].MessageID, "changed while you were away"); err != nil {
		t.Fatal(err)
	}
	if err := w.bob.DeleteMessage(ctx, w.alice.ID(), sent["this one goes"].MessageID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Alice's phone to apply the edit and the deletion", func() bool {
		ms, err := w.alice.Store().Messages(ctx, store.ContactKey(w.bob.ID()), 0, 10)
		edited, deleted := false, false
		for _, m := range ms {
			edited = edited || m.Body == "changed while you were away"
			deleted = deleted || (m.MessageID == sent["this one goes"].MessageID && !m.DeletedAt.IsZero())
		}
		return err == nil && edited && deleted
	})

	mark = ev.mark()
	w.startDesktops()
	ev.waitFrom(t, mark, "reconnected", linkState(app.LinkConnected))
	texts := func(when string) []string {
		t.Helper()
		page, err := d.Chat.Messages(bobR, "", 50)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		var out []string
		for _, m := range page.Messages {
			out = append(out, m.Text)
		}
		return out
	}
	want := "[this one stays changed while you were away]"
	mark = ev.mark()
	if got := texts("online"); fmt.Sprint(got) != want {
		t.Fatalf("from the phone: %q, want %s", got, want)
	}
	// The UI hears of the deletion as of any other: a removed message.
	ev.waitFrom(t, mark, "the deleted message removed", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && e.Name == app.EventMessagesChanged && me.Receiver == bobR && fmt.Sprint(me.Removed) == "["+goneID+"]"
	})

	// The phone is away again: the cache answers, and it has followed.
	mark = ev.mark()
	w.stopDesktops()
	ev.waitFrom(t, mark, "disconnected again", linkState(app.LinkDisconnected))
	if got := texts("offline"); fmt.Sprint(got) != want {
		t.Fatalf("from the cache: %q, want %s", got, want)
	}
	if hits, err := d.Chat.Search("goes", 10); err != nil || len(hits) != 0 {
		t.Fatalf("search finds the deleted message: %+v, %v", hits, err)
	}
}
