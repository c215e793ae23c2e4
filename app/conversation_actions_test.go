package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone/store"
)

// TestConversationActions: pinning goes to the phone (Alice's phone keeps
// it, the desktop shows it pinned); archive, mute and marked-unread stay on
// this computer, sealed and shown to every UI; deleting a conversation's
// messages deletes them on the phone and here, search included.
func TestConversationActions(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := w.bob.SendText(ctx, w.alice.ID(), "a secret recipe"); err != nil {
		t.Fatal(err)
	}
	d, ev := pairedDesktop(t, w)
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	ev.wait(t, "the first sync", func(e app.Event) bool {
		ce, ok := e.Data.(app.ConversationsEvent)
		return ok && ce.Replace && len(ce.Conversations) == 1
	})

	// Pin: on the phone, and back on the desktop.
	if err := d.Chat.SetPinned(bobR, true); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "Bob's conversation pinned", func(e app.Event) bool {
		ce, ok := e.Data.(app.ConversationsEvent)
		return ok && slices.ContainsFunc(ce.Conversations, func(c app.Conversation) bool { return c.Receiver == bobR && c.Pinned })
	})
	cs, err := w.alice.Store().Conversations(ctx)
	if err != nil || len(cs) != 1 || !cs[0].Starred {
		t.Fatalf("Alice's phone: %+v, %v", cs, err)
	}
	if convs, _ := d.Chat.Conversations(); len(convs) != 1 || !convs[0].Pinned {
		t.Fatalf("cached conversation not pinned: %+v", convs)
	}

	// This computer's decisions.
	mark := ev.mark()
	prefs, err := d.Chat.SetConversationPrefs(app.ConversationPrefs{Receiver: bobR, Archived: true, MutedUntil: app.MutedForever, MarkedUnread: true})
	if err != nil || len(prefs) != 1 || !prefs[0].Archived || prefs[0].MutedUntil != app.MutedForever {
		t.Fatalf("SetConversationPrefs: %+v, %v", prefs, err)
	}
	ev.waitFrom(t, mark, "the prefs pushed", func(e app.Event) bool {
		p, ok := e.Data.([]app.ConversationPrefs)
		return e.Name == app.EventConversationPrefsChanged && ok && len(p) == 1 && p[0].MarkedUnread
	})
	if _, err := d.Chat.SetConversationPrefs(app.ConversationPrefs{Receiver: bobR, MutedUntil: -2}); err == nil {
		t.Fatal("mutedUntil -2 was taken")
	}
	if prefs, err := d.Chat.SetConversationPrefs(app.ConversationPrefs{Receiver: bobR}); err != nil || len(prefs) != 0 {
		t.Fatalf("clearing the prefs: %+v, %v", prefs, err)
	}

	// Delete all messages: gone on the phone, in the cache and in search.
	if hits, _ := d.Chat.Search("recipe", 10); len(hits) != 1 {
		t.Fatalf("search before: %+v", hits)
	}
	mark = ev.mark()
	if err := d.Chat.DeleteConversation(bobR); err != nil {
		t.Fatal(err)
	}
	ev.waitFrom(t, mark, "the messages removed", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && me.Receiver == bobR && len(me.Removed) == 1
	})
	if ms, err := w.alice.Store().Messages(ctx, store.ContactKey(w.bob.ID()), 0, 10); err != nil || len(ms) != 0 {
		t.Fatalf("Alice's phone still has %d messages: %v", len(ms), err)
	}
	if page, err := d.Chat.Messages(bobR, "", 50); err != nil || len(page.Messages) != 0 {
		t.Fatalf("desktop messages after delete: %+v, %v", page.Messages, err)
	}
	if hits, _ := d.Chat.Search("recipe", 10); len(hits) != 0 {
		t.Fatalf("search after delete: %+v", hits)
	}
}
