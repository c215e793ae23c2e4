package app_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/kurier/kurier/app"
)

// pairedThenAway pairs a desktop (its data in dir) with Alice's phone, syncs,
// and takes the phone away; bobTexts are the texts Bob's phone receives.
func pairedThenAway(t *testing.T, dir string, opts app.PairingOptions) (w *world, d *app.Services, ev *events, bobTexts <-chan string) {
	t.Helper()
	w = newWorld(t)
	bobTexts = phoneTexts(w.bob)
	d, ev = startDesktop(t, dir, w.sig)
	st, err := d.Link.StartPairing(opts)
	if err != nil {
		t.Fatal(err)
	}
	pairAndSync(t, w, ev, st.PairingCode)
	mark := ev.mark()
	w.stopDesktops()
	ev.waitFrom(t, mark, "disconnected", linkState(app.LinkDisconnected))
	return w, d, ev, bobTexts
}

// TestSendWhilePhoneAway: texts and a file written while the phone is away
// wait in the outbox (sealed on disk, shown as queued, surviving a restart
// of the desktop), a deleted one never leaves, and the rest reach Bob in
// the order they were written once the phone is back, each replaced in the
// UI by the phone's message.
func TestSendWhilePhoneAway(t *testing.T) {
	dir := t.TempDir()
	const password = "correct horse battery"
	w, d, _, bobTexts := pairedThenAway(t, dir, app.PairingOptions{Remember: true, Password: password})
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}

	var queued []app.Message
	for _, text := range []string{"written on the train", "doomed draft", "second thought"} {
		m, err := d.Chat.SendText(bobR, text, "")
		if err != nil {
			t.Fatalf("SendText while the phone is away: %v", err)
		}
		if m.State != app.StateQueued || !m.Outgoing {
			t.Fatalf("%q: state %q, want %q", text, m.State, app.StateQueued)
		}
		queued = append(queued, m)
	}
	f, err := d.Chat.SendFile(bobR, app.FileUpload{Name: "notes.txt", Mime: "text/plain",
		Data: base64.StdEncoding.EncodeToString([]byte("file body")), Caption: "and the file"})
	if err != nil || f.State != app.StateQueued || f.File == nil {
		t.Fatalf("SendFile while the phone is away: %+v, %v", f, err)
	}
	if err := d.Chat.DeleteMessage(bobR, queued[1].ID); err != nil {
		t.Fatalf("delete a queued message: %v", err)
	}
	page, err := d.Chat.Messages(bobR, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, m := range page.Messages {
		states = append(states, m.Text+"="+m.State)
	}
	if len(page.Messages) != 3 || page.Messages[0].Text != "written on the train" || page.Messages[2].File == nil {
		t.Fatalf("messages while away: %q", states)
	}
	assertNotOnDisk(t, dir, "written on the train", "second thought", "file body")

	// The desktop restarts while the messages wait: they are still there.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d, ev := startDesktop(t, dir, w.sig)
	if _, err := d.Link.Unlock(password); err != nil {
		t.Fatal(err)
	}
	if page, err := d.Chat.Messages(bobR, "", 50); err != nil || len(page.Messages) != 3 || page.Messages[1].State != app.StateQueued {
		t.Fatalf("after a restart: %+v, %v", page.Messages, err)
	}

	// The phone is back: everything goes out in order, and the UI swaps
	// each queued message for the phone's.
	w.startDesktops()
	ev.wait(t, "reconnected", linkState(app.LinkConnected))
	for _, want := range []string{"written on the train", "second thought", "and the file"} {
		if got := <-bobTexts; got != want {
			t.Fatalf("Bob received %q, want %q (in the order written)", got, want)
		}
	}
	ev.wait(t, "the file replaced", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && len(me.Removed) == 1 && me.Removed[0] == f.ID && len(me.Messages) == 1 && me.Messages[0].State != app.StateQueued
	})
	page, err = d.Chat.Messages(bobR, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Messages {
		if m.State == app.StateQueued {
			t.Fatalf("still queued after the phone came back: %+v", m)
		}
	}
	// With the phone here, a text goes straight out again.
	if m, err := d.Chat.SendText(bobR, "live again", ""); err != nil || m.State == app.StateQueued {
		t.Fatalf("SendText with the phone here: %+v, %v", m, err)
	}
	waitText(t, bobTexts, "live again")
}

// TestQueuedMessagesNeverShowAnOlderState: a queued message, once sent,
// moves forward in the UI (pending, sent, delivered) and never back. The
// phone answers a send with its reply and, right after it, its own update
// of the new message (sent); the outbox's swap of the queued message for the
// phone's must not come after that update with the older, pending copy, or
// the bubble shows "sending" until a receipt comes, if one ever does (the
// window test once saw it stay so for 30 s).
func TestQueuedMessagesNeverShowAnOlderState(t *testing.T) {
	w, d, ev, bobTexts := pairedThenAway(t, t.TempDir(), app.PairingOptions{})
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}

	const n = 30
	for i := range n {
		if _, err := d.Chat.SendText(bobR, fmt.Sprintf("queued %d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	from := ev.mark()
	w.startDesktops()
	for i := range n {
		waitText(t, bobTexts, fmt.Sprintf("queued %d", i))
	}
	ev.waitFrom(t, from, "the last one delivered", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		return ok && len(me.Messages) == 1 && me.Messages[0].Text == fmt.Sprintf("queued %d", n-1) && me.Messages[0].State == "delivered"
	})
	// Fold the events as the frontend does (mergeMessages: replace by id,
	// then drop the removed ids), watching each message's state.
	rank := map[string]int{"pending": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}
	shown := map[string]app.Message{}
	var back []string
	ev.mu.Lock()
	all := ev.all[from:]
	ev.mu.Unlock()
	for _, e := range all {
		me, ok := e.Data.(app.MessagesEvent)
		if !ok || me.Receiver != bobR {
			continue
		}
		for _, m := range me.Messages {
			if old, ok := shown[m.ID]; ok && rank[m.State] < rank[old.State] {
				back = append(back, fmt.Sprintf("%q went from %s back to %s", m.Text, old.State, m.State))
			}
			shown[m.ID] = m
		}
		for _, id := range me.Removed {
			delete(shown, id)
		}
	}
	if len(back) > 0 {
		t.Fatalf("the UI was shown older states after newer ones:\n%s", strings.Join(back, "\n"))
	}
	if len(shown) != n {
		t.Fatalf("%d messages shown after the phone came back, want %d", len(shown), n)
	}
}
