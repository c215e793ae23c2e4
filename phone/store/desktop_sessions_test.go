package store

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func TestDesktopSessions(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ini, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	at := time.UnixMilli(1_700_000_000_000)
	d := DesktopSession{ID: "s1", InitiatorKey: ini.Public, Key: kp, Permanent: true, Label: "desk", CreatedAt: at, LastSeen: at}
	if err := s.PutDesktopSession(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := s.PutDesktopSession(ctx, d); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	got, err := s.DesktopSession(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.InitiatorKey.Equal(ini.Public) || !got.Key.Public.Equal(kp.Public) || !got.Permanent || !got.CreatedAt.Equal(at) {
		t.Fatalf("round trip: %v", got)
	}
	later := at.Add(time.Hour)
	if err := s.TouchDesktopSession(ctx, "s1", later); err != nil {
		t.Fatal(err)
	}
	list, err := s.DesktopSessions(ctx)
	if err != nil || len(list) != 1 || !list[0].LastSeen.Equal(later) {
		t.Fatalf("list %v: %v", list, err)
	}
	if err := s.DeleteDesktopSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDesktopSession(ctx, "s1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := s.DesktopSession(ctx, "s1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
