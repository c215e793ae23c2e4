package window

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/e2e"
)

// actionsWorld is the window paired (remembered, with a password) with
// Alice's phone, Bob's and Carol's phones her friends, and the chat with
// Bob open.
type actionsWorld struct {
	friends
	carol       *phone.Phone
	carolEvents <-chan phone.Event
	app         *app
	page        *page
	session     *webclient.Session // the phone's side of the pairing
	bobVoice    store.Message      // Bob's voice message, once the voice step sent it
	question    store.Message      // Bob's question, once the reply step sent it
}

const actionsPassword = "correct horse battery"

// rowJS is a JavaScript expression for the newest message row whose text
// contains text, outgoing or not.
func rowJS(text string, outgoing bool) string {
	dir := "false"
	if outgoing {
		dir = "true"
	}
	return `[...document.querySelectorAll('[data-testid=message][data-outgoing=` + dir + `]')].filter((r) => r.textContent.includes(` + js(text) + `)).pop()`
}

// bubbleJS is the bubble of that row.
func bubbleJS(text string, outgoing bool) string {
	return `(` + rowJS(text, outgoing) + `)?.querySelector('.bubble')`
}

// menuItemJS is an entry of the open message menu.
func menuItemJS(sel string) string {
	return `document.querySelector('[data-testid=message-menu].placed ` + sel + `')`
}

// newActionsWorld starts the window on a backend with Alice's, Bob's and
// Carol's phones and pairs it with Alice's phone as a remembered computer:
// the box is ticked and the password typed on the pairing screen.
func newActionsWorld(t *testing.T, name string) *actionsWorld {
	t.Helper()
	binary, artifacts := setup(t)
	f := newFriends(t, "hello Alice")
	w := &actionsWorld{friends: f}
	w.carol, w.carolEvents = phonetest.Phone(t, f.backendFile, "Carol")
	phonetest.Befriend(t, f.alice, w.carol)
	ctx, cancel := context.WithTimeout(context.Background(), pairTimeout)
	defer cancel()
	if _, err := w.carol.SendText(ctx, f.alice.ID(), "Hi Alice, Carol here."); err != nil {
		t.Fatal(err)
	}
	addr := inspectorAddr(t)
	t.Setenv(inspectorEnv, addr)
	display := startXvfb(t)
	w.app = startApp(t, binary, display, t.TempDir(), filepath.Join(artifacts, "window-"+name+".log"), "--backend", f.backendFile)
	id := findWindow(t, w.app, display)
	w.page = openPage(t, w.app, display, id, addr, artifacts)
	p := w.page

	// Remember this computer: tick the box, type the password twice (Tab
	// moves from the box to the fields) and press Enter for a new code.
	var first string
	p.wait("a pairing code", func() bool {
		return p.ins.eval(`document.querySelector('[data-testid=pairing-qr]')?.dataset.pairingCode ?? ''`, &first) == nil && first != ""
	})
	p.click("the box “Remember this computer”", `document.querySelector('.pairing input[type=checkbox]')`, 1)
	p.waitJS("the password fields", `document.querySelector('.pairing input[type=password]')`)
	p.key("Tab")
	p.typeText(actionsPassword)
	p.key("Tab")
	p.typeText(actionsPassword)
	p.waitJS("the password typed twice", `[...document.querySelectorAll('.pairing input[type=password]')].every((i) => i.value === `+js(actionsPassword)+`)`)
	p.shotAs("pairing")
	p.key("Return")
	var code string
	p.wait("a new pairing code for a remembered computer", func() bool {
		return p.ins.eval(`document.querySelector('[data-testid=pairing-qr]')?.dataset.pairingCode ?? ''`, &code) == nil && code != "" && code != first
	})
	sess, err := f.desktops.Pair(ctx, code)
	if err != nil {
		t.Fatalf("pair: %v\n%s", err, w.app.logText())
	}
	w.session = sess
	p.waitJS("the link connected", `document.querySelector('[data-testid=link-state][data-state=connected]')`)
	p.click("Bob's conversation", `document.querySelector('[data-testid=conversation-item][data-receiver="contact:`+f.bob.ID()+`"]')`, 1)
	p.waitJS("Bob's chat", `document.querySelector('[data-testid=chat-view][data-receiver="contact:`+f.bob.ID()+`"]')`)
	return w
}

// bobSays sends text from Bob to Alice and waits for it in the window.
func (w *actionsWorld) bobSays(t *testing.T, text string) store.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	m, err := w.bob.SendText(ctx, w.alice.ID(), text)
	if err != nil {
		t.Fatal(err)
	}
	w.page.on(t).waitJS("Bob's “"+text+"”", rowJS(text, false))
	return m
}

// aliceSends types text in the composer and sends it with Enter; Bob's
// phone receives it (after a quote, when it is a reply).
func (w *actionsWorld) aliceSends(t *testing.T, text string) phone.Event {
	t.Helper()
	p := w.page.on(t)
	p.click("the composer", `document.querySelector('[data-testid=composer]')`, 1)
	p.typeText(text)
	p.key("Return")
	return phonetest.Wait(t, w.bobEvents, "Alice's “"+text+"”", func(ev phone.Event) bool {
		if ev.Kind != phone.EventMessage || ev.Message == nil || ev.Message.Sender != w.alice.ID() {
			return false
		}
		_, after, quoted := e2e.ParseQuote(ev.Message.Body)
		return ev.Message.Body == text || quoted && after == text
	})
}

// openMenu right-clicks the bubble of the newest row with text and waits
// for its menu.
func (w *actionsWorld) openMenu(t *testing.T, text string, outgoing bool) {
	t.Helper()
	p := w.page.on(t)
	p.click("the bubble of “"+text+"”", bubbleJS(text, outgoing), 3)
	p.waitJS("the message menu", `document.querySelector('[data-testid=message-menu].placed')`)
}

// TestWindowMessageActions drives every message action in the real window
// (WebKitGTK under Xvfb), with real clicks and keys at the places the
// inspector reports, against real phones: reply with a quote, react, edit,
// delete for everyone, forward to another chat, play a voice message, delete
// for me, end and delete a group, and send while the phone is away. Each step checks what the other phone
// received and screenshots the window (window-action-*.png).
func TestWindowMessageActions(t *testing.T) {
	w := newActionsWorld(t, "actions")
	p := w.page
	p.waitJS("Bob's first text", rowJS("hello Alice", false))
	p.shotAs("chat")

	for _, step := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"reply", w.reply},
		{"react", w.react},
		{"edit", w.edit},
		{"delete for everyone", w.deleteForEveryone},
		{"forward", w.forward},
		{"voice message played", w.voice},
		{"reply to the voice message", w.replyToVoice},
		{"delete for me", w.deleteForMe},
		{"end and delete a group", w.endAndDeleteGroup},
		{"sent while the phone is away", w.phoneAway},
	} {
		if !t.Run(step.name, step.run) {
			t.FailNow() // the next steps build on this one's window
		}
	}
	stop(t, w.app)
}
