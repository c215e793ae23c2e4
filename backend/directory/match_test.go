package directory_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	wire "github.com/kurier/kurier/protocol/directory"
)

func TestLinkAndMatch(t *testing.T) {
	t.Parallel()
	forEachStore(t, testLinkAndMatch)
}

func testLinkAndMatch(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	ctx := context.Background()
	alice, akp := ts.register(t)
	bob, bkp := ts.register(t)
	carol, ckp := ts.register(t)
	if err := ts.client.LinkEmail(ctx, alice, akp, "  Alice@Example.COM "); err != nil {
		t.Fatal(err)
	}
	if err := ts.client.LinkEmail(ctx, bob, bkp, "bob@googlemail.com"); err != nil {
		t.Fatal(err)
	}
	if err := ts.client.LinkMobile(ctx, bob, bkp, "+41 79 123 45 67"); err != nil {
		t.Fatal(err)
	}
	if err := ts.client.LinkMobile(ctx, carol, ckp, "+4915112345678"); err != nil {
		t.Fatal(err)
	}
	// Carol relinks: the old number no longer matches.
	if err := ts.client.LinkMobile(ctx, carol, ckp, "+4915199999999"); err != nil {
		t.Fatal(err)
	}

	phone := func(n string) [][]byte { return [][]byte{wire.HashPhone(n)} }
	tests := []struct {
		name   string
		emails [][]byte
		phones [][]byte
		want   []string
	}{
		{"nothing", nil, nil, nil},
		{"email normalised", wire.HashEmail("alice@example.com"), nil, []string{alice}},
		{"gmail finds googlemail", wire.HashEmail("Bob@gmail.com")[:1], nil, []string{bob}},
		{"googlemail finds googlemail", wire.HashEmail("bob@googlemail.com"), nil, []string{bob}},
		{"phone", nil, phone("41791234567"), []string{bob}},
		{"email and phone of one identity", wire.HashEmail("bob@gmail.com"), phone("+41791234567"), []string{bob}},
		{"relinked phone", nil, phone("4915199999999"), []string{carol}},
		{"old phone", nil, phone("4915112345678"), nil},
		{"email hash sent as phone", nil, wire.HashEmail("alice@example.com"), nil},
		{"unknown", wire.HashEmail("mallory@example.com"), phone("1555000000"), nil},
		{"several", wire.HashEmail("alice@example.com"), phone("4915199999999"), []string{alice, carol}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := ts.client.Match(ctx, tt.emails, tt.phones)
			if err != nil {
				t.Fatal(err)
			}
			if res.CheckInterval != directory.DefaultCheckInterval {
				t.Errorf("CheckInterval = %v", res.CheckInterval)
			}
			got := map[string]client.Match{}
			for _, m := range res.Matches {
				got[m.ID] = m
			}
			if len(got) != len(res.Matches) || len(got) != len(tt.want) {
				t.Fatalf("Match = %+v, want %v", res.Matches, tt.want)
			}
			for _, id := range tt.want {
				m, ok := got[id]
				if !ok {
					t.Fatalf("Match = %+v, want %v", res.Matches, tt.want)
				}
				if m.EmailHash == nil && m.PhoneHash == nil {
					t.Fatalf("match %s names no hash", id)
				}
				if m.EmailHash != nil && !containsHash(tt.emails, m.EmailHash) {
					t.Fatalf("match %s names an email hash that was not sent", id)
				}
				if m.PhoneHash != nil && !containsHash(tt.phones, m.PhoneHash) {
					t.Fatalf("match %s names a phone hash that was not sent", id)
				}
			}
		})
	}
}

func TestUnlink(t *testing.T) {
	t.Parallel()
	forEachStore(t, testUnlink)
}

func testUnlink(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	ctx := context.Background()
	id, kp := ts.register(t)
	if err := ts.client.LinkEmail(ctx, id, kp, "dave@example.net"); err != nil {
		t.Fatal(err)
	}
	if err := ts.client.LinkEmail(ctx, id, kp, ""); err != nil {
		t.Fatal(err)
	}
	res, err := ts.client.Match(ctx, wire.HashEmail("dave@example.net"), nil)
	if err != nil || len(res.Matches) != 0 {
		t.Fatalf("Match after unlink = %+v, %v", res, err)
	}
}

func containsHash(hs [][]byte, h []byte) bool {
	for _, x := range hs {
		if bytes.Equal(x, h) {
			return true
		}
	}
	return false
}
