package control

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// TestContactNames: a contact added by ID shows as its ID, then as "~Bob"
// once its message brought the nickname; PATCH /v1/contacts/{id} names it
// (announced as an event, for the paired desktop) and clears the name.
func TestContactNames(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	a, aev := phonetest.Phone(t, bj, "Alice")
	b, _ := phonetest.Phone(t, bj, "Bob")
	url := api(t, a)
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()

	var c Contact
	if code := call(t, "POST", url+"/v1/contacts", ContactRequest{ID: b.ID()}, &c); code != http.StatusCreated || c.DisplayName != b.ID() {
		t.Fatalf("added: %d %+v", code, c)
	}
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendText(ctx, a.ID(), "hello"); err != nil {
		t.Fatal(err)
	}
	phonetest.Wait(t, aev, "Bob's message", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Peer == b.ID() })
	var cs []Contact
	if call(t, "GET", url+"/v1/contacts", nil, &cs); len(cs) != 1 || cs[0].DisplayName != "~Bob" || cs[0].Nickname != "Bob" || cs[0].Name != "" {
		t.Fatalf("after the message: %+v", cs)
	}

	path := url + "/v1/contacts/" + b.ID()
	patch := func(body ContactNameRequest) (int, Contact) {
		var c Contact // fresh: the fields left out stay empty
		return call(t, "PATCH", path, body, &c), c
	}
	first, last, empty := "Bob", "Example", ""
	if code, c := patch(ContactNameRequest{FirstName: &first, LastName: &last}); code != http.StatusOK ||
		c.DisplayName != "Bob Example" || c.Name != "Bob Example" || c.FirstName != "Bob" || c.LastName != "Example" || c.Nickname != "Bob" {
		t.Fatalf("named: %d %+v", code, c)
	}
	phonetest.Wait(t, aev, "the contact event", func(e phone.Event) bool {
		return e.Kind == phone.EventContact && e.Contact != nil && e.Contact.DisplayName() == "Bob Example"
	})
	if code, c := patch(ContactNameRequest{LastName: &empty}); code != http.StatusOK || c.DisplayName != "Bob" || c.FirstName != "Bob" {
		t.Fatalf("last name cleared: %d %+v", code, c)
	}
	long := strings.Repeat("x", phone.MaxNameBytes+1)
	for _, tc := range []struct {
		path string
		body any
		code int
	}{
		{path, ContactNameRequest{FirstName: &long}, http.StatusBadRequest},
		{path, map[string]string{"first_name": "Bob\nEve"}, http.StatusBadRequest},
		{path, map[string]any{}, http.StatusBadRequest},
		{path, map[string]any{"name": "Bob"}, http.StatusBadRequest},
		{url + "/v1/contacts/ZZZZZZZZ", ContactNameRequest{FirstName: &first}, http.StatusNotFound},
		{url + "/v1/contacts/nope", ContactNameRequest{FirstName: &first}, http.StatusBadRequest},
	} {
		var e ErrorResponse
		if code := call(t, "PATCH", tc.path, tc.body, &e); code != tc.code || e.Error == "" {
			t.Errorf("PATCH %s %+v: %d %+v, want %d", tc.path, tc.body, code, e, tc.code)
		}
	}
	if code, c := patch(ContactNameRequest{FirstName: &empty, LastName: &empty}); code != http.StatusOK || c.DisplayName != "~Bob" || c.Name != "" {
		t.Fatalf("name cleared: %d %+v", code, c)
	}
}
