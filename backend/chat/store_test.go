package chat

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/csp"
)

func openTestStore(t testing.TB) *sqliteStore {
	t.Helper()
	st, err := openSQLiteStore(context.Background(), filepath.Join(t.TempDir(), "chat.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.close() })
	return st
}

// testStores are the queue's implementations, each opened empty for one
// test: the contract tests run the same steps on every one.
var testStores = map[string]func(t testing.TB) queueStore{
	"sqlite": func(t testing.TB) queueStore { return openTestStore(t) },
	"postgres": func(t testing.TB) queueStore {
		st, err := openPostgresStore(context.Background(), pgtest.URL(t), "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.close() })
		return st
	},
}

// forEachStore runs test on a new store of every implementation.
func forEachStore(t *testing.T, test func(t *testing.T, st queueStore)) {
	for name, open := range testStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, open(t))
		})
	}
}

// BenchmarkStoreInsert measures the queue's insert cost inside group
// commits of 100 messages, fsync included.
func BenchmarkStoreInsert(b *testing.B) {
	st := openTestStore(b)
	ctx := context.Background()
	env := make([]byte, 150)
	b.ResetTimer()
	for i := 0; i < b.N; {
		tx, err := st.begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 100 && i < b.N; j, i = j+1, i+1 {
			if _, _, err := insertOne(ctx, tx, csp.ID{'R', 'C', 'V', byte('A' + i%26), 'X', 'X', 'X', 'X'}.String(),
				"SENDER01", uint64(i), 1<<40, env); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStoreSynchronousMode(t *testing.T) {
	t.Parallel()
	for relaxed, want := range map[bool]int{false: 2, true: 1} {
		st, err := openSQLiteStore(context.Background(), filepath.Join(t.TempDir(), "chat.db"), relaxed)
		if err != nil {
			t.Fatal(err)
		}
		var got int
		if err := st.w.QueryRowContext(context.Background(), `PRAGMA synchronous`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		_ = st.close()
		if got != want {
			t.Errorf("relaxed=%t: synchronous=%d, want %d", relaxed, got, want)
		}
	}
}

func TestStoreInsertDedupAndBacklog(t *testing.T) {
	t.Parallel()
	forEachStore(t, testInsertDedupAndBacklog)
}

func testInsertDedupAndBacklog(t *testing.T, st queueStore) {
	ctx := context.Background()
	tx, err := st.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seq1, ok1, err1 := insertOne(ctx, tx, "BOB00001", "ALICE001", 1, 1000, []byte("a"))
	_, ok2, err2 := insertOne(ctx, tx, "BOB00001", "ALICE001", 1, 1000, []byte("dup"))
	seq3, ok3, err3 := insertOne(ctx, tx, "BOB00001", "ALICE001", 1<<63+5, 50, []byte("b"))
	if err1 != nil || err2 != nil || err3 != nil || !ok1 || ok2 || !ok3 || seq3 <= seq1 {
		t.Fatalf("inserts: %d %t %v / %t %v / %d %t %v", seq1, ok1, err1, ok2, err2, seq3, ok3, err3)
	}
	if err := tx.commit(); err != nil {
		t.Fatal(err)
	}
	msgs, err := st.backlog(ctx, "BOB00001", 0, 10, 10)
	if err != nil || len(msgs) != 2 || string(msgs[0].envelope) != "a" || string(msgs[1].envelope) != "b" {
		t.Fatalf("backlog %+v, %v", msgs, err)
	}
	if msgs, _ := st.backlog(ctx, "BOB00001", 0, 100, 10); len(msgs) != 1 {
		t.Fatalf("expired message in the backlog: %d", len(msgs))
	}
	if msgs, _ := st.backlog(ctx, "BOB00001", seq1, 10, 10); len(msgs) != 1 || msgs[0].seq != seq3 {
		t.Fatalf("backlog after the cursor: %+v", msgs)
	}
	tx, _ = st.begin(ctx)
	gone, err := deleteOne(ctx, tx, "BOB00001", "ALICE001", 1<<63+5)
	if err != nil || !gone {
		t.Fatalf("delete of a u64 id above 2^63: %t %v", gone, err)
	}
	if n, err := tx.purgeExpired(ctx, 2000); err != nil || n != 1 {
		t.Fatalf("purge %d, %v", n, err)
	}
	if err := tx.commit(); err != nil {
		t.Fatal(err)
	}
	if n, err := st.count(ctx); err != nil || n != 0 {
		t.Fatalf("count %d, %v", n, err)
	}
}

// TestStoreContract: the rest of the queue's contract on every store:
// seqs increase per receiver and are never reused after a delete; depth
// counts and bytes per receiver; purging a receiver leaves the others;
// a rolled-back transaction leaves nothing; the size is reported.
func TestStoreContract(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, st queueStore) {
		ctx := context.Background()
		tx, err := st.begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var last int64
		for i := range 5 {
			seq, ok, err := insertOne(ctx, tx, "BOB00001", "ALICE001", uint64(i+1), 1000, make([]byte, 10))
			if err != nil || !ok || seq <= last {
				t.Fatalf("insert %d: seq %d after %d, %t, %v", i, seq, last, ok, err)
			}
			last = seq
		}
		if _, _, err := insertOne(ctx, tx, "CAROL001", "ALICE001", 1, 1000, make([]byte, 7)); err != nil {
			t.Fatal(err)
		}
		if d, err := tx.depths(ctx, []string{"BOB00001", "CAROL001", "NOBODY01"}); err != nil ||
			d["BOB00001"] != (queueDepth{5, 50}) || d["CAROL001"] != (queueDepth{1, 7}) || d["NOBODY01"] != (queueDepth{}) {
			t.Fatalf("depths in the transaction: %+v, %v; want BOB 5/50, CAROL 1/7, none", d, err)
		}
		if gone, err := deleteOne(ctx, tx, "BOB00001", "ALICE001", 5); err != nil || !gone {
			t.Fatalf("delete: %t %v", gone, err)
		}
		if err := tx.commit(); err != nil {
			t.Fatal(err)
		}
		tx, _ = st.begin(ctx)
		seq, ok, err := insertOne(ctx, tx, "BOB00001", "ALICE001", 6, 1000, []byte("x"))
		if err != nil || !ok || seq <= last {
			t.Fatalf("seq after a delete: %d (last %d), %t, %v", seq, last, ok, err)
		}
		tx.rollback()
		if n, err := st.depth(ctx, "BOB00001", 0); err != nil || n != 4 {
			t.Fatalf("depth after a rollback: %d, %v; want 4", n, err)
		}
		tx, _ = st.begin(ctx)
		if n, err := tx.purgeReceiver(ctx, "BOB00001"); err != nil || n != 4 {
			t.Fatalf("purge receiver: %d, %v", n, err)
		}
		if err := tx.commit(); err != nil {
			t.Fatal(err)
		}
		if n, err := st.count(ctx); err != nil || n != 1 {
			t.Fatalf("count after purging one receiver: %d, %v; want 1", n, err)
		}
		if n, err := st.sizeBytes(ctx); err != nil || n <= 0 {
			t.Fatalf("size %d, %v", n, err)
		}
	})
}

// forEachQueue runs a server test once on each queue store: SQLite in the
// world's data directory, and a database of its own on PostgreSQL.
func forEachQueue(t *testing.T, test func(t *testing.T, queue func(*Config))) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		test(t, func(*Config) {})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		url := pgtest.URL(t)
		test(t, func(c *Config) { c.Database = url })
	})
}

// insertOne stores one message through write.
func insertOne(ctx context.Context, tx queueTx, receiver, sender string, messageID uint64, expiresAt int64, envelope []byte) (int64, bool, error) {
	ops := []writeOp{{receiver: receiver, sender: sender, messageID: messageID, expiresAt: expiresAt, envelope: envelope}}
	err := tx.write(ctx, ops)
	return ops[0].seq, ops[0].applied, err
}

// deleteOne deletes one message through write.
func deleteOne(ctx context.Context, tx queueTx, receiver, sender string, messageID uint64) (bool, error) {
	ops := []writeOp{{del: true, receiver: receiver, sender: sender, messageID: messageID}}
	err := tx.write(ctx, ops)
	return ops[0].applied, err
}

// TestStoreWriteMixed: one write of inserts, a duplicate and deletes
// reports each op's own result, in the order given.
func TestStoreWriteMixed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, st queueStore) {
		ctx := context.Background()
		tx, err := st.begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ops := []writeOp{
			{receiver: "BOB00001", sender: "ALICE001", messageID: 1, expiresAt: 1000, envelope: []byte("a")},
			{receiver: "BOB00001", sender: "ALICE001", messageID: 1, expiresAt: 1000, envelope: []byte("dup")},
			{receiver: "CAROL001", sender: "ALICE001", messageID: 1, expiresAt: 1000, envelope: []byte("c")},
			{del: true, receiver: "BOB00001", sender: "ALICE001", messageID: 1},
			{del: true, receiver: "BOB00001", sender: "ALICE001", messageID: 1},
			{receiver: "BOB00001", sender: "ALICE001", messageID: 2, expiresAt: 1000, envelope: []byte("b")},
		}
		if err := tx.write(ctx, ops); err != nil {
			t.Fatal(err)
		}
		if err := tx.commit(); err != nil {
			t.Fatal(err)
		}
		want := []bool{true, false, true, true, false, true}
		for i, op := range ops {
			if op.applied != want[i] {
				t.Errorf("op %d applied %t, want %t", i, op.applied, want[i])
			}
		}
		if ops[5].seq <= ops[0].seq {
			t.Errorf("seq %d after %d", ops[5].seq, ops[0].seq)
		}
		msgs, err := st.backlog(ctx, "BOB00001", 0, 10, 10)
		if err != nil || len(msgs) != 1 || string(msgs[0].envelope) != "b" {
			t.Fatalf("backlog %+v, %v", msgs, err)
		}
	})
}

// TestSortForLocks: writes are ordered by receiver, inserts before
// deletes, and one receiver's inserts keep their order of arrival.
func TestSortForLocks(t *testing.T) {
	ops := []writeOp{
		{receiver: "B", messageID: 1}, {receiver: "A", del: true, messageID: 2}, {receiver: "B", messageID: 3},
		{receiver: "A", messageID: 4}, {receiver: "B", del: true, messageID: 5}, {receiver: "A", messageID: 6},
	}
	sortForLocks(ops)
	var got []uint64
	for _, op := range ops {
		got = append(got, op.messageID)
	}
	if want := []uint64{4, 6, 2, 1, 3, 5}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}
