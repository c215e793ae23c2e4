package directory

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func TestStoreConstraints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := openStore(ctx, filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.close() })
	now := time.Unix(1_700_000_000, 0)
	if err := st.insertIdentity(ctx, "AAAAAAAA", cryptobox.PublicKey{1}, now); err != nil {
		t.Fatal(err)
	}
	if err := st.insertIdentity(ctx, "BBBBBBBB", cryptobox.PublicKey{1}, now); !errors.Is(err, ErrKeyInUse) {
		t.Fatalf("same key = %v, want ErrKeyInUse", err)
	}
	if err := st.insertIdentity(ctx, "AAAAAAAA", cryptobox.PublicKey{2}, now); !errors.Is(err, errDuplicateID) {
		t.Fatalf("same id = %v, want errDuplicateID", err)
	}
	if _, err := st.identity(ctx, "CCCCCCCC"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown = %v, want ErrNotFound", err)
	}
	if err := st.setFeatureMask(ctx, "CCCCCCCC", 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("set mask of unknown = %v, want ErrNotFound", err)
	}
	if err := st.setFeatureMask(ctx, "AAAAAAAA", 1<<63|1); err != nil {
		t.Fatal(err)
	}
	it, err := st.identity(ctx, "AAAAAAAA")
	if err != nil || it.FeatureMask != 1<<63|1 {
		t.Fatalf("identity = %+v, %v; want the full 64-bit mask back", it, err)
	}
}

// TestDrawIDRetriesOnCollision scripts the random source so that the second
// registration first draws the ID of the first one.
func TestDrawIDRetriesOnCollision(t *testing.T) {
	t.Parallel()
	ck, err := cryptobox.KeyPairFromSecret(cryptobox.SecretKey{9})
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 2*IDLength)
	ones := bytes.Repeat([]byte{1}, 2*IDLength)
	script := bytes.NewReader(append(append(append([]byte{}, zeros...), zeros...), ones...))
	s, err := New(Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), ChallengeKey: ck, Rand: script})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	ctx := context.Background()
	a, err := s.register(ctx, createRequest{publicKey: cryptobox.PublicKey{1}})
	if err != nil || a != "AAAAAAAA" {
		t.Fatalf("first = %q, %v", a, err)
	}
	b, err := s.register(ctx, createRequest{publicKey: cryptobox.PublicKey{2}})
	if err != nil || b != "BBBBBBBB" {
		t.Fatalf("second = %q, %v; want the retry to draw BBBBBBBB", b, err)
	}
	if _, err := s.register(ctx, createRequest{publicKey: cryptobox.PublicKey{3}}); err == nil {
		t.Fatal("register with an exhausted random source succeeded")
	}
}
