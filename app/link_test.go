package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/provisioning"
)

const timeout = 60 * time.Second

// world is a real backend with two real phones: Alice (the user's phone,
// which serves desktops) and Bob.
type world struct {
	t           *testing.T
	sig         *provisioning.Signaling
	alice, bob  *phone.Phone
	backendFile string
	desktops    *webclient.Server
	keepCancel  context.CancelFunc
	keepDone    chan struct{}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	bj := phonetest.Backend(t)
	prov, err := provisioning.Load(bj)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, sig: prov.Signaling, backendFile: bj}
	w.alice, _ = phonetest.Phone(t, bj, "Alice")
	w.bob, _ = phonetest.Phone(t, bj, "Bob")
	phonetest.Befriend(t, w.alice, w.bob)
	w.startDesktops()
	t.Cleanup(w.stopDesktops)
	return w
}

// startDesktops runs the phone's desktop server, which keeps reconnecting
// to its permanent desktop sessions.
func (w *world) startDesktops() {
	w.desktops = webclient.New(w.alice, webclient.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	w.keepCancel, w.keepDone = cancel, make(chan struct{})
	go func() {
		defer close(w.keepDone)
		w.desktops.KeepConnected(ctx)
	}()
}

// stopDesktops ends the phone's desktop server: the link drops as when the
// phone app is killed.
func (w *world) stopDesktops() {
	if w.desktops == nil {
		return
	}
	w.keepCancel()
	_ = w.desktops.Close()
	<-w.keepDone
	w.desktops = nil
}

// events records every event of a hub.
type events struct {
	mu   sync.Mutex
	all  []app.Event
	wake chan struct{}
}

func record(s *app.Services) *events {
	e := &events{wake: make(chan struct{}, 1)}
	s.Hub.Subscribe(func(ev app.Event) {
		e.mu.Lock()
		e.all = append(e.all, ev)
		e.mu.Unlock()
		select {
		case e.wake <- struct{}{}:
		default:
		}
	})
	return e
}

// mark returns the number of events recorded so far.
func (e *events) mark() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.all)
}

// wait returns the first event (from the start of the recording) that matches.
func (e *events) wait(t *testing.T, what string, match func(app.Event) bool) app.Event {
	t.Helper()
	return e.waitFrom(t, 0, what, match)
}

// waitFrom returns the first event after the first from events that matches.
func (e *events) waitFrom(t *testing.T, from int, what string, match func(app.Event) bool) app.Event {
	t.Helper()
	deadline := time.After(timeout)
	for i := from; ; {
		e.mu.Lock()
		for ; i < len(e.all); i++ {
			if match(e.all[i]) {
				ev := e.all[i]
				e.mu.Unlock()
				return ev
			}
		}
		e.mu.Unlock()
		select {
		case <-e.wake:
		case <-deadline:
			t.Fatalf("no event: %s", what)
		}
	}
}

func linkState(state string) func(app.Event) bool {
	return func(ev app.Event) bool {
		st, ok := ev.Data.(app.LinkStatus)
		return ev.Name == app.EventLinkStatus && ok && st.State == state
	}
}

// notifications records what the desktop shows through the OS (the boundary
// to the desktop environment).
type notifications struct {
	mu     sync.Mutex
	bodies []string
}

func (n *notifications) Notify(_, body string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.bodies = append(n.bodies, body)
	return nil
}

func (n *notifications) wait(t *testing.T, count int) []string {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		n.mu.Lock()
		got := append([]string(nil), n.bodies...)
		n.mu.Unlock()
		if len(got) >= count {
			return got
		}
	}
	t.Fatalf("fewer than %d notifications", count)
	return nil
}

func startDesktop(t *testing.T, dir string, sig *provisioning.Signaling) (*app.Services, *events) {
	t.Helper()
	return startDesktopNotifying(t, dir, sig, nil)
}

func startDesktopNotifying(t *testing.T, dir string, sig *provisioning.Signaling, n app.Notifier) (*app.Services, *events) {
	t.Helper()
	s, err := app.Start(context.Background(), app.Config{DataDir: dir, Mode: app.ModeWeb, Signaling: sig, VaultCost: 10,
		Notifier: n, UnreachableNotice: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ev := record(s)
	t.Cleanup(func() { _ = s.Close() })
	return s, ev
}

// messageEvent matches a messages:changed event holding a message with text.
func messageEvent(text string, outgoing bool) func(app.Event) bool {
	return func(ev app.Event) bool {
		me, ok := ev.Data.(app.MessagesEvent)
		if ev.Name != app.EventMessagesChanged || !ok {
			return false
		}
		for _, m := range me.Messages {
			if m.Text == text && m.Outgoing == outgoing {
				return true
			}
		}
		return false
	}
}

// TestPairChatRememberReconnect is the desktop's life with a real phone:
// pairing through the real signaling server with "remember this computer",
// the cache, chatting both ways, a link drop healed without the password,
// a restart that asks for the password (a wrong one refused) and reconnects
// without a pairing code, and forgetting.
func TestPairChatRememberReconnect(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := w.bob.SendText(ctx, w.alice.ID(), "history before pairing"); err != nil {
		t.Fatal(err)
	}
	bobTexts := phoneTexts(w.bob)
	dir := t.TempDir()
	notes := &notifications{}
	d, ev := startDesktopNotifying(t, dir, w.sig, notes)
	const password = "correct horse battery"
	if _, err := d.Link.StartPairing(app.PairingOptions{Remember: true, Password: "short"}); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
	st, err := d.Link.StartPairing(app.PairingOptions{Remember: true, Password: password})
	if err != nil || st.PairingCode == "" || st.State != app.LinkUnpaired || !st.Remembered {
		t.Fatalf("StartPairing: %+v, %v", st, err)
	}
	svg, err := d.Link.PairingQR()
	if err != nil || !strings.HasPrefix(svg, "<svg") {
		t.Fatalf("PairingQR: %.40q, %v", svg, err)
	}
	start := time.Now()
	if _, err := w.desktops.Pair(ctx, st.PairingCode); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "connected", linkState(app.LinkConnected))
	ev.wait(t, "conversation list", func(e app.Event) bool {
		ce, ok := e.Data.(app.ConversationsEvent)
		return ok && ce.Replace && len(ce.Conversations) == 1
	})
	t.Logf("pairing code scanned → conversation list: %v", time.Since(start))

	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	page, err := d.Chat.Messages(bobR, "", 50)
	if err != nil || len(page.Messages) != 1 || page.Messages[0].Text != "history before pairing" {
		t.Fatalf("Messages: %+v, %v", page, err)
	}
	prof, _ := d.Chat.Profile()
	if prof.Identity != w.alice.ID() || prof.Fingerprint == "" {
		t.Fatalf("profile %+v", prof)
	}
	rs, _ := d.People.Receivers()
	if len(rs.Contacts) != 1 || rs.Contacts[0].ID != w.bob.ID() {
		t.Fatalf("receivers %+v", rs)
	}

	// A text from the desktop reaches Bob; Bob's reply reaches the desktop.
	if _, err := d.Chat.SendText(bobR, "hello from the desktop", ""); err != nil {
		t.Fatal(err)
	}
	waitText(t, bobTexts, "hello from the desktop")
	if _, err := w.bob.SendText(ctx, w.alice.ID(), "hello back"); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "Bob's reply", messageEvent("hello back", false))
	if hits, err := d.Chat.Search("HELLO bac", 10); err != nil || len(hits) != 1 || hits[0].Message.Text != "hello back" || !strings.Contains(hits[0].Snippet, "«") {
		t.Fatalf("search: %+v, %v", hits, err)
	}
	if err := d.Chat.SetDraft(bobR, "half a thought"); err != nil {
		t.Fatal(err)
	}

	// Nothing of the message text reaches the disk in the clear.
	assertNotOnDisk(t, dir, "hello back", "half a thought", "history before pairing")

	// The link drops (the phone app is killed) and heals by itself.
	mark := ev.mark()
	w.stopDesktops()
	ev.waitFrom(t, mark, "disconnected", linkState(app.LinkDisconnected))
	if got := notes.wait(t, 1); !strings.Contains(got[0], "unreachable") {
		t.Fatalf("notification %q", got[0])
	}
	w.startDesktops()
	ev.waitFrom(t, mark, "reconnected", linkState(app.LinkConnected))
	if got := notes.wait(t, 2); !strings.Contains(got[1], "reachable again") {
		t.Fatalf("notifications %q", got)
	}

	// A restart asks for the password and reconnects without a pairing code.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d2, ev2 := startDesktop(t, dir, w.sig)
	st, _ = d2.Link.Status()
	if st.State != app.LinkLocked || !st.Locked || !st.Remembered {
		t.Fatalf("after restart: %+v", st)
	}
	if _, err := d2.Link.Unlock("wrong password"); !errors.Is(err, app.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := d2.Link.Unlock(password); err != nil {
		t.Fatal(err)
	}
	// The cache is readable at once, before the phone is back.
	if convs, err := d2.Chat.Conversations(); err != nil || len(convs) != 1 || convs[0].LastMessage == nil {
		t.Fatalf("cached conversations: %+v, %v", convs, err)
	}
	if draft, _ := d2.Chat.Draft(bobR); draft != "half a thought" {
		t.Fatalf("draft %q", draft)
	}
	ev2.wait(t, "trusted reconnect", linkState(app.LinkConnected))
	if hits, _ := d2.Chat.Search("history", 10); len(hits) != 1 {
		t.Fatalf("search after unlock: %+v", hits)
	}

	// Forgetting removes the session, the vault and the cache.
	if st, err := d2.Link.Forget(); err != nil || st.State != app.LinkUnpaired || st.Remembered {
		t.Fatalf("Forget: %+v, %v", st, err)
	}
	if convs, _ := d2.Chat.Conversations(); len(convs) != 0 {
		t.Fatalf("conversations after forget: %d", len(convs))
	}
	assertNotOnDisk(t, dir, "hello back", "history before pairing")
}

// phoneMessages records the messages a phone receives.
func phoneMessages(p *phone.Phone) <-chan store.Message {
	ch := make(chan store.Message, 1000)
	p.Subscribe(func(e phone.Event) {
		if e.Kind == phone.EventMessage && e.Message != nil {
			ch <- *e.Message
		}
	})
	return ch
}

// phoneTexts records the texts a phone receives.
func phoneTexts(p *phone.Phone) <-chan string {
	ch := make(chan string, 1000)
	p.Subscribe(func(e phone.Event) {
		if e.Kind == phone.EventMessage && e.Message != nil {
			ch <- e.Message.Body
		}
	})
	return ch
}

func waitText(t *testing.T, ch <-chan string, text string) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case got := <-ch:
			if got == text {
				return
			}
		case <-deadline:
			t.Fatalf("never received %q", text)
		}
	}
}

// assertNotOnDisk fails when any of the texts occurs in a file of dir.
func assertNotOnDisk(t *testing.T, dir string, texts ...string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range texts {
			if strings.Contains(string(b), s) {
				return fmt.Errorf("%q is in %s in the clear", s, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
