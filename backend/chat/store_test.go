package chat

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kurier/kurier/protocol/csp"
)

func openTestStore(t testing.TB) *store {
	t.Helper()
	st, err := openStore(context.Background(), filepath.Join(t.TempDir(), "chat.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.close() })
	return st
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
			if _, _, err := tx.insertMessage(ctx, csp.ID{'R', 'C', 'V', byte('A' + i%26), 'X', 'X', 'X', 'X'}.String(),
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
		st, err := openStore(context.Background(), filepath.Join(t.TempDir(), "chat.db"), relaxed)
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
	st := openTestStore(t)
	ctx := context.Background()
	tx, err := st.begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seq1, ok1, err1 := tx.insertMessage(ctx, "BOB00001", "ALICE001", 1, 1000, []byte("a"))
	_, ok2, err2 := tx.insertMessage(ctx, "BOB00001", "ALICE001", 1, 1000, []byte("dup"))
	seq3, ok3, err3 := tx.insertMessage(ctx, "BOB00001", "ALICE001", 1<<63+5, 50, []byte("b"))
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
	gone, err := tx.deleteMessage(ctx, "BOB00001", "ALICE001", 1<<63+5)
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
