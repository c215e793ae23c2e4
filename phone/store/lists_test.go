package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestListUpdateDeleteAndClear changes and deletes a list on real SQLite
// and empties a conversation.
func TestListUpdateDeleteAndClear(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	id, err := s.AddList(ctx, "l", []string{"PEER0001", "PEER0002"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateList(ctx, id, "renamed", []string{"PEER0003"}); err != nil {
		t.Fatal(err)
	}
	l, err := s.List(ctx, id)
	if err != nil || l.Name != "renamed" || len(l.Members) != 1 || l.Members[0] != "PEER0003" {
		t.Fatalf("%+v %v", l, err)
	}
	if err := s.UpdateList(ctx, id+1, "x", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update of an unknown list: %v", err)
	}
	for i := range 3 {
		if _, err := s.AddMessage(ctx, KindList, Message{Conversation: ListKey(id), Sender: "ABCD1234", MessageID: uint64(i + 1),
			Outgoing: true, Type: 1, Body: "x", State: StateSent, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddMessage(ctx, KindContact, Message{Conversation: "PEER0001", Sender: "PEER0001", MessageID: 9,
		Type: 1, Body: "in", State: StateReceived, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ClearConversation(ctx, "PEER0001"); err != nil || n != 1 {
		t.Fatalf("clear: %d %v", n, err)
	}
	cs, err := s.Conversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Key == "PEER0001" && (c.Messages != 0 || c.Unread != 0) {
			t.Fatalf("cleared conversation %+v", c)
		}
	}
	if err := s.DeleteList(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.List(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("list after delete: %v", err)
	}
	if err := s.DeleteList(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	cs, _ = s.Conversations(ctx)
	for _, c := range cs {
		if c.Key == ListKey(id) {
			t.Fatal("the list's conversation survived")
		}
	}
}
