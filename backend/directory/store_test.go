package directory

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

// testStores are the store's implementations, each opened empty for one
// test: the contract tests run the same steps on every one.
var testStores = map[string]func(t testing.TB) store{
	"sqlite": func(t testing.TB) store {
		st, err := openSQLiteStore(context.Background(), filepath.Join(t.TempDir(), dbFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.close() })
		return st
	},
	"postgres": func(t testing.TB) store { return openTestPostgres(t, pgtest.URL(t)) },
}

// openTestPostgres opens a PostgreSQL store on url, closed at the end of
// the test.
func openTestPostgres(t testing.TB, url string) *postgresStore {
	t.Helper()
	st, err := openPostgresStore(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.close() })
	return st
}

// forEachStore runs test on a new store of every implementation.
func forEachStore(t *testing.T, test func(t *testing.T, st store)) {
	for name, open := range testStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, open(t))
		})
	}
}

func TestStoreConstraints(t *testing.T) {
	t.Parallel()
	forEachStore(t, testStoreConstraints)
}

func testStoreConstraints(t *testing.T, st store) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	if err := st.insertIdentity(ctx, "AAAAAAAA", cryptobox.PublicKey{1}, now); err != nil {
		t.Fatal(err)
	}
	if err := st.insertIdentity(ctx, "BBBBBBBB", cryptobox.PublicKey{1}, now); !errors.Is(err, wire.ErrKeyInUse) {
		t.Fatalf("same key = %v, want ErrKeyInUse", err)
	}
	if err := st.insertIdentity(ctx, "AAAAAAAA", cryptobox.PublicKey{2}, now); !errors.Is(err, errDuplicateID) {
		t.Fatalf("same id = %v, want errDuplicateID", err)
	}
	if _, err := st.identity(ctx, "CCCCCCCC"); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("unknown = %v, want ErrNotFound", err)
	}
	if err := st.setFeatureMask(ctx, "CCCCCCCC", 1); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("set mask of unknown = %v, want ErrNotFound", err)
	}
	if err := st.setFeatureMask(ctx, "AAAAAAAA", 1<<63|1); err != nil {
		t.Fatal(err)
	}
	it, err := st.identity(ctx, "AAAAAAAA")
	if err != nil || it.FeatureMask != 1<<63|1 {
		t.Fatalf("identity = %+v, %v; want the full 64-bit mask back", it, err)
	}
	if it.PublicKey != (cryptobox.PublicKey{1}) || it.State != wire.StateActive || it.Type != wire.TypeRegular {
		t.Fatalf("identity = %+v", it)
	}
	if used, err := st.keyRegistered(ctx, cryptobox.PublicKey{1}); err != nil || !used {
		t.Fatalf("keyRegistered(registered) = %v, %v", used, err)
	}
	if used, err := st.keyRegistered(ctx, cryptobox.PublicKey{3}); err != nil || used {
		t.Fatalf("keyRegistered(new) = %v, %v", used, err)
	}
}

// TestStoreReadMany: bulk reads leave unknown IDs out, and the listing pages
// through every identity in byte order of the IDs (digits before letters).
func TestStoreReadMany(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, st store) {
		ctx := context.Background()
		ids := []string{"ZZZZZZZZ", "0AAAAAAA", "AAAAAAAA", "A0000000", "9ZZZZZZZ"}
		for i, id := range ids {
			if err := st.insertIdentity(ctx, id, cryptobox.PublicKey{byte(i + 1)}, time.Unix(1, 0)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.identities(ctx, []string{"AAAAAAAA", "QQQQQQQQ", "ZZZZZZZZ", "AAAAAAAA"})
		if err != nil || len(got) != 2 || got["AAAAAAAA"].PublicKey != (cryptobox.PublicKey{3}) || got["ZZZZZZZZ"].ID != "ZZZZZZZZ" {
			t.Fatalf("identities = %+v, %v", got, err)
		}
		if none, err := st.identities(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("identities(nil) = %+v, %v", none, err)
		}
		want := []string{"0AAAAAAA", "9ZZZZZZZ", "A0000000", "AAAAAAAA", "ZZZZZZZZ"}
		var listed []string
		for after := ""; ; {
			page, err := st.listIdentities(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, it := range page {
				listed = append(listed, it.ID)
				after = it.ID
			}
		}
		if len(listed) != len(want) {
			t.Fatalf("listed %v, want %v", listed, want)
		}
		for i := range want {
			if listed[i] != want[i] {
				t.Fatalf("listed %v, want %v", listed, want)
			}
		}
	})
}

// TestStoreHashesAndRevoke: linking replaces a kind's hashes, kinds do not
// mix, and a revoked identity loses its hashes and is never matched, while
// its key stays taken.
func TestStoreHashesAndRevoke(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, st store) {
		ctx := context.Background()
		now := time.Unix(1_700_000_000, 0)
		for i, id := range []string{"AAAAAAAA", "BBBBBBBB"} {
			if err := st.insertIdentity(ctx, id, cryptobox.PublicKey{byte(i + 1)}, now); err != nil {
				t.Fatal(err)
			}
		}
		h := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
		match := func(kind string, hashes ...[]byte) []string {
			t.Helper()
			ms, err := st.matchHashes(ctx, kind, hashes, true)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range ms {
				if m.kind != kind || len(m.hash) != 32 {
					t.Fatalf("match %+v", m)
				}
				ids = append(ids, m.identity.ID+":"+string(rune('a'+m.hash[0])))
			}
			return ids
		}
		mustLink := func(id, kind string, hashes ...[]byte) {
			t.Helper()
			if err := st.linkHashes(ctx, id, kind, hashes); err != nil {
				t.Fatal(err)
			}
		}
		mustLink("AAAAAAAA", hashKindEmail, h(1), h(2), h(1))
		mustLink("BBBBBBBB", hashKindEmail, h(2))
		mustLink("BBBBBBBB", hashKindPhone, h(3))
		if got := match(hashKindEmail, h(2), h(3), h(9)); !equal(got, "AAAAAAAA:c", "BBBBBBBB:c") {
			t.Fatalf("email match = %v", got)
		}
		if got := match(hashKindPhone, h(1), h(3)); !equal(got, "BBBBBBBB:d") {
			t.Fatalf("phone match = %v", got)
		}
		if got := match(hashKindEmail); len(got) != 0 {
			t.Fatalf("match of nothing = %v", got)
		}
		mustLink("AAAAAAAA", hashKindEmail, h(4)) // replaces 1 and 2
		if got := match(hashKindEmail, h(1), h(2), h(4)); !equal(got, "AAAAAAAA:e", "BBBBBBBB:c") {
			t.Fatalf("after relink = %v", got)
		}
		mustLink("BBBBBBBB", hashKindEmail) // unlinks
		if got := match(hashKindEmail, h(2)); len(got) != 0 {
			t.Fatalf("after unlink = %v", got)
		}

		if err := st.revoke(ctx, "BBBBBBBB", now); err != nil {
			t.Fatal(err)
		}
		if err := st.revoke(ctx, "CCCCCCCC", now); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("revoke unknown = %v, want ErrNotFound", err)
		}
		if it, err := st.identity(ctx, "BBBBBBBB"); err != nil || it.State != wire.StateInvalid {
			t.Fatalf("revoked = %+v, %v", it, err)
		}
		if got := match(hashKindPhone, h(3)); len(got) != 0 {
			t.Fatalf("revoked identity matched: %v", got)
		}
		mustLink("BBBBBBBB", hashKindPhone, h(3)) // a link racing the revocation
		if got := match(hashKindPhone, h(3)); len(got) != 0 {
			t.Fatalf("revoked identity matched: %v", got)
		}
		if err := st.insertIdentity(ctx, "DDDDDDDD", cryptobox.PublicKey{2}, now); !errors.Is(err, wire.ErrKeyInUse) {
			t.Fatalf("a revoked identity's key = %v, want ErrKeyInUse", err)
		}
	})
}

func equal(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestDrawIDRetriesOnCollision scripts the random source so that the second
// registration first draws the ID of the first one.
func TestDrawIDRetriesOnCollision(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, database string) {
		ck, err := cryptobox.KeyPairFromSecret(cryptobox.SecretKey{9})
		if err != nil {
			t.Fatal(err)
		}
		zeros := make([]byte, 2*wire.IDLength)
		ones := bytes.Repeat([]byte{1}, 2*wire.IDLength)
		script := bytes.NewReader(append(append(append([]byte{}, zeros...), zeros...), ones...))
		s, err := New(Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Database: database, ChallengeKey: ck, Rand: script})
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
	})
}

// forEachDatabase runs test with Config.Database for each store: empty
// (SQLite in DataDir) and a new PostgreSQL database.
func forEachDatabase(t *testing.T, test func(t *testing.T, database string)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		test(t, "")
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		test(t, pgtest.URL(t))
	})
}
