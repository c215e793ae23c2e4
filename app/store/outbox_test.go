package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"testing"

	"github.com/kurier/kurier/app/vault"
)

// TestOutbox: records come back in the order they were put, per
// conversation or all; they are sealed at rest; delete and ClearCache
// remove them.
func TestOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, path := openTemp(t)
	v, _, err := vault.Create(rand.Reader, "password", 10)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSealer(v.NewSealer(vault.PurposeCache, rand.Reader))
	bob, carol := Key{Type: "contact", ID: "BOBBOBBO"}, Key{Type: "group", ID: "0102030405060708"}
	for i, r := range []OutboxRecord{
		{ID: "q1", Key: bob, Data: []byte(`{"text":"first secret words"}`)},
		{ID: "q2", Key: carol, Data: []byte(`{"text":"second"}`)},
		{ID: "q3", Key: bob, Data: []byte(`{"text":"third"}`)},
	} {
		if err := s.PutOutbox(ctx, r); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	if err := s.PutOutbox(ctx, OutboxRecord{ID: "q1", Key: bob, Data: []byte(`{}`)}); err == nil {
		t.Fatal("a second record with the same id was taken")
	}
	ids := func(rs []OutboxRecord) string {
		var b bytes.Buffer
		for _, r := range rs {
			b.WriteString(r.ID + " ")
		}
		return b.String()
	}
	all, err := s.Outbox(ctx, nil)
	if err != nil || ids(all) != "q1 q2 q3 " || string(all[0].Data) != `{"text":"first secret words"}` || all[1].Key != carol {
		t.Fatalf("all: %q, %v", ids(all), err)
	}
	if of, err := s.Outbox(ctx, &bob); err != nil || ids(of) != "q1 q3 " {
		t.Fatalf("bob's: %q, %v", ids(of), err)
	}
	if u, err := s.OutboxUsage(ctx); err != nil || u.Count != 3 || u.Bytes < 50 {
		t.Fatalf("usage %+v, %v", u, err)
	}
	if err := s.db.Close(); err != nil { // flush the WAL into the file
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("secret words")) {
		t.Fatal("an outbox record is on disk in the clear")
	}
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s2.Close() }()
	s2.SetSealer(v.NewSealer(vault.PurposeCache, rand.Reader))
	if ok, err := s2.DeleteOutbox(ctx, "q1"); !ok || err != nil {
		t.Fatalf("delete q1: %v %v", ok, err)
	}
	if ok, _ := s2.DeleteOutbox(ctx, "q1"); ok {
		t.Fatal("q1 deleted twice")
	}
	if err := s2.ClearCache(ctx); err != nil {
		t.Fatal(err)
	}
	if all, _ := s2.Outbox(ctx, nil); len(all) != 0 {
		t.Fatalf("after ClearCache: %q", ids(all))
	}
}
