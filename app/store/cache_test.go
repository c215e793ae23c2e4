package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/kurier/kurier/app/vault"
)

func TestMessagesPaging(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTemp(t)
	k := Key{Type: "contact", ID: "ECHOECHO"}
	var recs []MessageRecord
	for i := 1; i <= 120; i++ {
		recs = append(recs, MessageRecord{ID: fmt.Sprint(i), SortKey: int64(i), Data: []byte(fmt.Sprintf(`{"n":%d}`, i))})
	}
	if err := s.PutMessages(ctx, k, recs); err != nil {
		t.Fatal(err)
	}
	page, more, err := s.Messages(ctx, k, "", 50)
	if err != nil || !more || len(page) != 50 || page[0].ID != "71" || page[49].ID != "120" {
		t.Fatalf("newest page: %d, more %v, %v", len(page), more, err)
	}
	page, more, err = s.Messages(ctx, k, "71", 50)
	if err != nil || !more || page[0].ID != "21" || page[49].ID != "70" {
		t.Fatalf("second page: %v, %v", more, err)
	}
	page, more, err = s.Messages(ctx, k, "21", 50)
	if err != nil || more || len(page) != 20 || page[0].ID != "1" {
		t.Fatalf("last page: %d, %v, %v", len(page), more, err)
	}
	if _, _, err := s.Messages(ctx, k, "999", 50); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown reference: %v", err)
	}
	if ids, err := s.MessageIDsBetween(ctx, k, 118, 125); err != nil || fmt.Sprint(ids) != "[118 119 120]" {
		t.Fatalf("ids from 118 on: %v, %v", ids, err)
	}
	if n, err := s.NewestSortKey(ctx, k); err != nil || n != 120 {
		t.Fatalf("newest sort key %d, %v", n, err)
	}
	if n, err := s.NewestSortKey(ctx, Key{Type: "contact", ID: "NOBODY00"}); err != nil || n != 0 {
		t.Fatalf("newest sort key of an empty conversation %d, %v", n, err)
	}
	if err := s.DeleteMessages(ctx, k, []string{"120"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Message(ctx, k, "120"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted message: %v", err)
	}
}

func TestSealedCacheNeverStoresPlaintext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, path := openTemp(t)
	v, _, err := vault.Create(rand.Reader, "password", 10)
	if err != nil {
		t.Fatal(err)
	}
	s.SetSealer(v.NewSealer(vault.PurposeCache, rand.Reader))
	k := Key{Type: "contact", ID: "ECHOECHO"}
	secret := []byte("the secret message text")
	if err := s.PutMessages(ctx, k, []MessageRecord{{ID: "1", SortKey: 1, Data: secret}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDraft(ctx, k, "a secret draft"); err != nil {
		t.Fatal(err)
	}
	if err := s.PutMedia(ctx, k, "1", "file", []byte("secret file bytes")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutReceivers(ctx, []Record{{Key: k, Data: []byte("secret contact name")}}, true); err != nil {
		t.Fatal(err)
	}
	m, err := s.Message(ctx, k, "1")
	if err != nil || !bytes.Equal(m.Data, secret) {
		t.Fatalf("read back: %q, %v", m.Data, err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(f)
		for _, needle := range []string{"secret message", "secret draft", "secret file", "secret contact"} {
			if bytes.Contains(b, []byte(needle)) {
				t.Fatalf("%q in %s", needle, f)
			}
		}
	}
	// Without the key the records are locked, not garbage.
	s.SetSealer(nil)
	if _, err := s.Message(ctx, k, "1"); !errors.Is(err, ErrLocked) {
		t.Fatalf("read without key: %v", err)
	}
	other, _, _ := vault.Create(rand.Reader, "password", 10)
	s.SetSealer(other.NewSealer(vault.PurposeCache, rand.Reader))
	if _, err := s.Message(ctx, k, "1"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("read with another key: %v", err)
	}
	if err := s.ClearCache(ctx); err != nil {
		t.Fatal(err)
	}
	if recs, _ := s.Receivers(ctx); len(recs) != 0 {
		t.Fatalf("receivers after clear: %d", len(recs))
	}
}
