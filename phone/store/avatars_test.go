package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

func TestAvatars(t *testing.T) {
	t.Parallel()
	s, path := openTest(t)
	ctx := context.Background()
	if _, err := s.Avatar(ctx, OwnAvatarKey); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing avatar: %v", err)
	}
	if err := s.PutAvatar(ctx, Avatar{Key: OwnAvatarKey}); err == nil {
		t.Fatal("empty image stored")
	}
	at := time.UnixMilli(1_700_000_000_000).UTC()
	for _, img := range [][]byte{{1, 2, 3}, {4, 5}} {
		if err := s.PutAvatar(ctx, Avatar{Key: "ABCD1234", Image: img, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := s.Avatar(ctx, "ABCD1234")
	if err != nil || !bytes.Equal(a.Image, []byte{4, 5}) || !a.UpdatedAt.Equal(at) {
		t.Fatalf("%v %v", a, err)
	}
	if a.String() != "Avatar(ABCD1234, 2 bytes)" {
		t.Fatal(a.String())
	}
	// Survives reopening.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	if _, err := s2.Avatar(ctx, "ABCD1234"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []bool{true, false} {
		if had, err := s2.DeleteAvatar(ctx, "ABCD1234"); err != nil || had != want {
			t.Fatalf("delete: %v %v", had, err)
		}
	}
}
