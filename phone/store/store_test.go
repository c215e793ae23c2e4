package store

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "phone.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func TestIdentityAndContacts(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	if _, err := s.Identity(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("identity before init: %v", err)
	}
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	id := Identity{ID: "ABCD1234", Key: kp, Nickname: "n", CreatedAt: time.Now()}
	if err := s.SetIdentity(ctx, id); err != nil {
		t.Fatal(err)
	}
	got, err := s.Identity(ctx)
	if err != nil || got.ID != id.ID || got.Key != kp {
		t.Fatalf("%v %v", got, err)
	}
	other, _ := cryptobox.GenerateKeyPair(rand.Reader)
	if err := s.SetIdentity(ctx, Identity{ID: "OTHER123", Key: other}); !errors.Is(err, ErrExists) {
		t.Fatalf("second identity: %v", err)
	}
	if got.String() != "Identity(ABCD1234)" {
		t.Fatal(got.String())
	}

	c := Contact{ID: "PEER0001", PublicKey: other.Public, Verification: VerificationDirectory, FeatureMask: 0x300}
	if err := s.PutContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.DisplayName() != "PEER0001" {
		t.Fatalf("display name without name or nickname: %q", c.DisplayName())
	}
	c.Nickname = "peer"
	if c.DisplayName() != "~peer" {
		t.Fatalf("display name with a nickname: %q", c.DisplayName())
	}
	c.FirstName, c.LastName, c.Blocked = "Anna Maria", "Peer", true
	if err := s.PutContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	c2, err := s.Contact(ctx, "PEER0001")
	if err != nil || c2.FirstName != "Anna Maria" || c2.LastName != "Peer" || c2.Nickname != "peer" || !c2.Blocked || c2.FeatureMask != 0x300 {
		t.Fatalf("%+v %v", c2, err)
	}
	if c2.Name() != "Anna Maria Peer" || c2.DisplayName() != "Anna Maria Peer" {
		t.Fatalf("name %q, display name %q", c2.Name(), c2.DisplayName())
	}
	c2.FirstName = ""
	if c2.Name() != "Peer" || c2.DisplayName() != "Peer" {
		t.Fatalf("last name only: name %q, display name %q", c2.Name(), c2.DisplayName())
	}
	c.PublicKey = kp.Public
	if err := s.PutContact(ctx, c); !errors.Is(err, ErrExists) {
		t.Fatalf("key change accepted: %v", err)
	}
	if _, err := s.Contact(ctx, "NOBODY00"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}

func TestMessagesOutboxNonces(t *testing.T) {
	t.Parallel()
	s, path := openTest(t)
	ctx := context.Background()
	var nonce cryptobox.Nonce
	nonce[0] = 7
	seq := int64(0)
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		seq, err = tx.AddMessage(ctx, KindContact, Message{Conversation: "PEER0001", Sender: "ABCD1234", MessageID: 1 << 63,
			Outgoing: true, Type: 1, Body: "hi", State: StateSending, CreatedAt: time.Now()})
		if err != nil {
			return err
		}
		if err := tx.AddOutgoingNonce(ctx, nonce); err != nil {
			return err
		}
		_, err = tx.AddOutbox(ctx, OutboxEntry{Receiver: "PEER0001", MessageID: 1 << 63, Envelope: []byte{1}, MessageSeq: seq})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMessage(ctx, KindContact, Message{Conversation: "PEER0001", Sender: "ABCD1234", MessageID: 1 << 63, State: StateSending}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate message: %v", err)
	}
	if ok, err := s.HasNonce(ctx, nonce); err != nil || !ok {
		t.Fatalf("nonce: %v %v", ok, err)
	}
	// Reopen: everything is still there.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	out, err := s.Outbox(ctx)
	if err != nil || len(out) != 1 || out[0].MessageID != 1<<63 || out[0].MessageSeq != seq {
		t.Fatalf("%+v %v", out, err)
	}
	msgSeq, err := s.CompleteOutbox(ctx, out[0].Seq)
	if err != nil || msgSeq != seq {
		t.Fatalf("%d %v", msgSeq, err)
	}
	if ch, err := s.SetMessageState(ctx, seq, StateDelivered, time.Now()); err != nil || !ch {
		t.Fatalf("%v %v", ch, err)
	}
	if ch, _ := s.SetMessageState(ctx, seq, StateSent, time.Now()); ch {
		t.Fatal("state went back")
	}
	m, err := s.MessageBySeq(ctx, seq)
	if err != nil || m.State != StateDelivered || m.DeliveredAt.IsZero() || m.MessageID != 1<<63 {
		t.Fatalf("%+v %v", m, err)
	}
	if in, outN, err := s.NonceCount(ctx); err != nil || in != 0 || outN != 1 {
		t.Fatalf("%d %d %v", in, outN, err)
	}
	cs, err := s.Conversations(ctx)
	if err != nil || len(cs) != 1 || cs[0].Messages != 1 {
		t.Fatalf("%+v %v", cs, err)
	}
}

func TestGroupKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key     string
		creator string
		id      uint64
		ok      bool
	}{
		{GroupKey("ABCD1234", 0xdeadbeef), "ABCD1234", 0xdeadbeef, true},
		{GroupKey("ABCD1234", 1<<63), "ABCD1234", 1 << 63, true},
		{"ABCD1234", "", 0, false},
		{"g:ABCD1234:xyz", "", 0, false},
	} {
		c, id, ok := ParseGroupKey(tc.key)
		if ok != tc.ok || c != tc.creator || id != tc.id {
			t.Errorf("%s: %s %x %v", tc.key, c, id, ok)
		}
	}
}

func TestGroupsAndLists(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	g := Group{Creator: "ABCD1234", ID: 42, Name: "g", Members: []string{"PEER0001", "PEER0002"}}
	if err := s.PutGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	g.Members = g.Members[:1]
	g.Left = true
	if err := s.PutGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	got, err := s.Group(ctx, "ABCD1234", 42)
	if err != nil || len(got.Members) != 1 || !got.Left {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := s.Group(ctx, "ABCD1234", 43); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	id, err := s.AddList(ctx, "l", []string{"PEER0001"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.List(ctx, id)
	if err != nil || len(l.Members) != 1 || l.Key() != ListKey(id) {
		t.Fatalf("%+v %v", l, err)
	}
}

// TestMessagesStartingWith: the replies to one message are found by their
// quote header, newest first and at most limit, in their conversation only,
// never a deleted one; a text that only mentions the header is not one.
func TestMessagesStartingWith(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	const header = "> quote #0102030405060708\n\n"
	add := func(conv string, id uint64, body string) int64 {
		seq, err := s.AddMessage(ctx, KindContact, Message{Conversation: conv, Sender: "PEER0001", MessageID: id, Type: 1,
			Body: body, State: StateReceived, CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return seq
	}
	add("PEER0001", 1, header+"first")
	second := add("PEER0001", 2, header+"second")
	add("PEER0001", 3, "not a reply: "+header+"x")
	add("PEER0002", 4, header+"elsewhere")
	deleted := add("PEER0001", 5, header+"deleted")
	third := add("PEER0001", 6, header+"ünïcödé third")
	if err := s.DeleteMessage(ctx, deleted, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := s.MessagesStartingWith(ctx, "PEER0001", header, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Seq != third || got[1].Seq != second {
		t.Fatalf("replies: %+v, want seqs %d, %d", got, third, second)
	}
	if all, err := s.MessagesStartingWith(ctx, "PEER0001", header, 50); err != nil || len(all) != 3 {
		t.Fatalf("all replies: %d, %v", len(all), err)
	}
}

// TestRemoveMessage: a message removed from this store is gone with its
// reactions and kept file, an unread one leaves its conversation's unread count, and the
// rest of the conversation stays.
func TestRemoveMessage(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	add := func(id uint64, body string) int64 {
		seq, err := s.AddMessage(ctx, KindContact, Message{Conversation: "PEER0001", Sender: "PEER0001", MessageID: id, Type: 1,
			Body: body, State: StateReceived, CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return seq
	}
	first, second := add(1, "first"), add(2, "second")
	if _, err := s.ApplyReaction(ctx, second, "SELF0001", "👍", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFile(ctx, second, []byte("kept bytes")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.File(ctx, second); err != nil || string(got) != "kept bytes" {
		t.Fatalf("kept file: %q, %v", got, err)
	}
	if n, err := s.FileBytes(ctx); err != nil || n != int64(len("kept bytes")) {
		t.Fatalf("kept bytes: %d, %v", n, err)
	}
	unread := func() int {
		t.Helper()
		cs, err := s.Conversations(ctx)
		if err != nil || len(cs) != 1 {
			t.Fatalf("conversations: %+v, %v", cs, err)
		}
		return cs[0].Unread
	}
	if n := unread(); n != 2 {
		t.Fatalf("unread before: %d", n)
	}
	if found, err := s.RemoveMessage(ctx, second); err != nil || !found {
		t.Fatalf("remove: %v, %v", found, err)
	}
	if _, err := s.MessageBySeq(ctx, second); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed message: %v", err)
	}
	if rs, err := s.Reactions(ctx, second); err != nil || len(rs) != 0 {
		t.Fatalf("its reactions: %v, %v", rs, err)
	}
	if _, err := s.File(ctx, second); !errors.Is(err, ErrNotFound) {
		t.Fatalf("its kept file: %v", err)
	}
	if n := unread(); n != 1 {
		t.Fatalf("unread after removing an unread message: %d, want 1", n)
	}
	if found, err := s.RemoveMessage(ctx, second); err != nil || found {
		t.Fatalf("remove again: %v, %v", found, err)
	}
	// A read one leaves the count alone.
	if _, err := s.MarkIncomingRead(ctx, "PEER0001", first, time.Now()); err != nil {
		t.Fatal(err)
	}
	third := add(3, "third")
	if found, err := s.RemoveMessage(ctx, first); err != nil || !found {
		t.Fatalf("remove a read one: %v, %v", found, err)
	}
	if n := unread(); n != 1 {
		t.Fatalf("unread after removing a read message: %d, want 1", n)
	}
	if ms, err := s.Messages(ctx, "PEER0001", 0, 0); err != nil || len(ms) != 1 || ms[0].Seq != third {
		t.Fatalf("what is left: %+v, %v", ms, err)
	}
	// Deleted for everyone, a message keeps no file either.
	if err := s.PutFile(ctx, third, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMessage(ctx, third, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.File(ctx, third); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the file of a message deleted for everyone: %v", err)
	}
}
