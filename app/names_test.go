package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kurier/kurier/app"
)

// contactNamed matches a receivers:changed event in which contact id shows as name.
func contactNamed(id, name string) func(app.Event) bool {
	return func(e app.Event) bool {
		rs, ok := e.Data.(app.Receivers)
		return ok && e.Name == app.EventReceiversChanged &&
			slices.ContainsFunc(rs.Contacts, func(c app.Contact) bool { return c.ID == id && c.Name == name })
	}
}

// conversationNamed matches a conversations:changed event in which the conversation with r is called name.
func conversationNamed(r app.Receiver, name string) func(app.Event) bool {
	return func(e app.Event) bool {
		ce, ok := e.Data.(app.ConversationsEvent)
		return ok && slices.ContainsFunc(ce.Conversations, func(c app.Conversation) bool { return c.Receiver == r && c.Name == name })
	}
}

func contactIn(t *testing.T, d *app.Services, id string) app.Contact {
	t.Helper()
	rs, err := d.People.Receivers()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rs.Contacts, func(c app.Contact) bool { return c.ID == id })
	if i < 0 {
		t.Fatalf("no contact %s in %+v", id, rs.Contacts)
	}
	return rs.Contacts[i]
}

// TestContactNamesOnTheDesktop: a contact added by ID shows as its ID, then
// as "~Bob" once Bob wrote (live, in the contacts and the conversation
// list); RenameContact names it, the name survives a restart of the desktop
// (cache and phone), a name given on the phone arrives live, and clearing
// the name shows "~Bob" again.
func TestContactNamesOnTheDesktop(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	dir := t.TempDir()
	d, ev := startDesktop(t, dir, w.sig)
	const password = "correct horse battery"
	st, err := d.Link.StartPairing(app.PairingOptions{Remember: true, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.desktops.Pair(ctx, st.PairingCode); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "connected", linkState(app.LinkConnected))
	bob := w.bob.ID()
	bobR := app.Receiver{Type: app.ReceiverContact, ID: bob}
	ev.wait(t, "Bob by his ID", contactNamed(bob, bob))
	if c := contactIn(t, d, bob); c.Nickname != "" {
		t.Fatalf("added by ID: %+v", c)
	}

	if _, err := w.bob.SendText(ctx, w.alice.ID(), "hi, Bob here"); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "Bob by his nickname", contactNamed(bob, "~Bob"))
	ev.wait(t, "the conversation by Bob's nickname", conversationNamed(bobR, "~Bob"))
	if c := contactIn(t, d, bob); c.Nickname != "Bob" || c.FirstName != "" {
		t.Fatalf("after Bob's message: %+v", c)
	}

	for _, bad := range [][3]string{{"not an id", "Bob", ""}, {bob, strings.Repeat("x", 257), ""}, {bob, "Bob", "Ex\nample"}} {
		if _, err := d.People.RenameContact(bad[0], bad[1], bad[2]); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("RenameContact%q: %v", bad, err)
		}
	}
	mark := ev.mark()
	c, err := d.People.RenameContact(strings.ToLower(bob), " Bob ", "Example")
	if err != nil || c.Name != "Bob Example" || c.FirstName != "Bob" || c.LastName != "Example" || c.Nickname != "Bob" {
		t.Fatalf("RenameContact: %+v, %v", c, err)
	}
	if c := contactIn(t, d, bob); c.Name != "Bob Example" {
		t.Fatalf("receivers after the rename: %+v", c)
	}
	ev.waitFrom(t, mark, "the conversation renamed", conversationNamed(bobR, "Bob Example"))

	// A restart: the cache has the name before the phone is back, and the phone keeps it.
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d2, ev2 := startDesktop(t, dir, w.sig)
	if _, err := d2.Link.Unlock(password); err != nil {
		t.Fatal(err)
	}
	if c := contactIn(t, d2, bob); c.Name != "Bob Example" || c.FirstName != "Bob" || c.LastName != "Example" {
		t.Fatalf("cached after the restart: %+v", c)
	}
	ev2.wait(t, "reconnected", linkState(app.LinkConnected))
	ev2.wait(t, "the receivers from the phone", contactNamed(bob, "Bob Example"))

	// Named on the phone (control API, CLI): live on the desktop.
	if _, err := w.alice.SetContactName(ctx, bob, "Robert", ""); err != nil {
		t.Fatal(err)
	}
	ev2.wait(t, "the name given on the phone", contactNamed(bob, "Robert"))
	ev2.wait(t, "the conversation with the phone's name", conversationNamed(bobR, "Robert"))

	if c, err := d2.People.RenameContact(bob, "", ""); err != nil || c.Name != "~Bob" || c.FirstName != "" {
		t.Fatalf("name cleared: %+v, %v", c, err)
	}
}
