package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestReactions(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	seq, err := s.AddMessage(ctx, KindContact, Message{Conversation: "PEER0001", Sender: "PEER0001", MessageID: 7, Type: 1,
		Body: "hi", State: StateReceived, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.UnixMilli(1_700_000_000_000).UTC()
	apply := func(id, emoji string, at time.Time, wantNew bool) {
		t.Helper()
		changed, err := s.ApplyReaction(ctx, seq, id, emoji, at)
		if err != nil || changed != wantNew {
			t.Fatalf("apply %s %q: %v %v", id, emoji, changed, err)
		}
	}
	apply("PEER0001", "👍", t0, true)
	apply("PEER0001", "👍", t0.Add(time.Second), false) // one row per (message, identity, emoji)
	apply("SELF0001", "👍", t0.Add(2*time.Second), true)
	apply("SELF0001", "🎉", t0.Add(time.Second), true)
	m, err := s.MessageBySeq(ctx, seq)
	if err != nil {
		t.Fatal(err)
	}
	want := []Reaction{{"SELF0001", "👍", t0.Add(2 * time.Second)}, {"SELF0001", "🎉", t0.Add(time.Second)}, {"PEER0001", "👍", t0}}
	if fmt.Sprint(m.Reactions) != fmt.Sprint(want) {
		t.Fatalf("reactions %v, want %v", m.Reactions, want)
	}
	if ms, err := s.Messages(ctx, "PEER0001", 0, 0); err != nil || len(ms) != 1 || len(ms[0].Reactions) != 3 {
		t.Fatalf("messages: %+v %v", ms, err)
	}
	if has, err := s.HasReaction(ctx, seq, "SELF0001", "🎉"); err != nil || !has {
		t.Fatalf("has: %v %v", has, err)
	}
	if gone, err := s.WithdrawReaction(ctx, seq, "SELF0001", "🎉"); err != nil || !gone {
		t.Fatalf("withdraw: %v %v", gone, err)
	}
	if gone, err := s.WithdrawReaction(ctx, seq, "SELF0001", "🎉"); err != nil || gone {
		t.Fatalf("withdraw again: %v %v", gone, err)
	}

	// The bound per identity and message.
	for i := range MaxReactionsPerIdentity - 1 {
		apply("PEER0001", fmt.Sprintf("e%d", i), t0, true)
	}
	if _, err := s.ApplyReaction(ctx, seq, "PEER0001", "one too many", t0); !errors.Is(err, ErrLimit) {
		t.Fatalf("past the bound: %v", err)
	}
	apply("PEER0001", "👍", t0, false) // an existing one is no error
	apply("SELF0001", "🎉", t0, true)  // another identity has its own bound

	// Delete for everyone drops them; clearing the conversation removes the rows.
	if err := s.DeleteMessage(ctx, seq, time.Now()); err != nil {
		t.Fatal(err)
	}
	if rs, err := s.Reactions(ctx, seq); err != nil || len(rs) != 0 {
		t.Fatalf("after delete: %v %v", rs, err)
	}
	apply("SELF0001", "🎉", t0, true)
	if _, err := s.ClearConversation(ctx, "PEER0001"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM reactions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows after clear: %d %v", n, err)
	}
}
