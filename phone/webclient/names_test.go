package webclient_test

import (
	"context"
	"testing"

	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// TestDesktopContactNames: the paired desktop sees a contact added by ID as
// "~Bob" as soon as Bob's first message brings his nickname (update/receiver
// before the message), then by the name given on the phone or from the
// desktop, with firstName and lastName as the user gave them.
func TestDesktopContactNames(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	b, _ := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 3*phonetest.Timeout)
	defer cancel()
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}
	srv := serveDesktops(t, a, webclient.Config{})
	d, _, _ := pairPermanent(ctx, t, bj, srv)

	receivers := func() wc.Contact {
		t.Helper()
		rs, err := wc.DecodeReceivers(d.request(ctx, wc.NewRequest(wc.SubReceivers, "")))
		if err != nil || len(rs.Contacts) != 1 {
			t.Fatalf("receivers %+v: %v", rs.Contacts, err)
		}
		return rs.Contacts[0]
	}
	if c := receivers(); c.DisplayName != b.ID() || c.PublicNickname != "" || c.FirstName != "" {
		t.Fatalf("added by ID: %+v", c)
	}
	contactUpdate := func(m wc.WireMessage) bool {
		u, err := wc.DecodeReceiverUpdate(m)
		return err == nil && u.Contact != nil && u.Contact.ID == b.ID()
	}
	// The contact's update must come before the message.
	contactOrMessage := func(m wc.WireMessage) bool { return contactUpdate(m) || m.SubType == wc.SubMessages }
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendText(ctx, a.ID(), "hi, Bob here"); err != nil {
		t.Fatal(err)
	}
	u, err := wc.DecodeReceiverUpdate(d.next(ctx, "Bob's nickname", contactOrMessage))
	if err != nil || u.Mode != wc.ModeModified || u.Contact.DisplayName != "~Bob" || u.Contact.PublicNickname != "Bob" {
		t.Fatalf("update after Bob's message: %+v, %v", u.Contact, err)
	}
	if c := receivers(); c.DisplayName != "~Bob" || c.PublicNickname != "Bob" {
		t.Fatalf("receivers after Bob's message: %+v", c)
	}

	// Named on the phone (control API, CLI): pushed.
	if _, err := a.SetContactName(ctx, b.ID(), "Bob", "Example"); err != nil {
		t.Fatal(err)
	}
	u, err = wc.DecodeReceiverUpdate(d.next(ctx, "the name", contactUpdate))
	if err != nil || u.Contact.DisplayName != "Bob Example" || u.Contact.FirstName != "Bob" || u.Contact.LastName != "Example" {
		t.Fatalf("update after naming: %+v, %v", u.Contact, err)
	}

	// From the desktop: a part left out stays, an empty one is cleared.
	update := func(first, last *string) wc.WireMessage {
		return d.request(ctx, wc.NewContactUpdate("", "", wc.ContactUpdate{Identity: b.ID(), FirstName: first, LastName: last}))
	}
	empty, anna, bad := "", "Anna Maria", "Bob\nEve"
	res, err := wc.DecodeContactResult(update(nil, &empty))
	if err != nil || !res.Result.Success || res.Contact.DisplayName != "Bob" || res.Contact.FirstName != "Bob" || res.Contact.LastName != "" {
		t.Fatalf("last name cleared: %+v, %v", res, err)
	}
	if c := receivers(); c.DisplayName != "Bob" || c.FirstName != "Bob" || c.LastName != "" || c.PublicNickname != "Bob" {
		t.Fatalf("receivers after the rename: %+v", c)
	}
	if res, err = wc.DecodeContactResult(update(&anna, nil)); err != nil || res.Contact.DisplayName != "Anna Maria" {
		t.Fatalf("first name: %+v, %v", res, err)
	}
	if r := update(&bad, nil); r.Ack.Success || r.Ack.Error != wc.CodeBadRequest {
		t.Fatalf("a name with a line break: %+v", r.Ack)
	}
	if res, err = wc.DecodeContactResult(update(&empty, &empty)); err != nil || res.Contact.DisplayName != "~Bob" || res.Contact.FirstName != "" {
		t.Fatalf("name cleared: %+v, %v", res, err)
	}
	d.next(ctx, "the cleared name", func(m wc.WireMessage) bool {
		u, err := wc.DecodeReceiverUpdate(m)
		return err == nil && u.Contact != nil && u.Contact.DisplayName == "~Bob" && u.Contact.FirstName == ""
	})
}
