package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
)

const benchPassword = "correct horse battery staple"

// benchProfile creates a remembered profile (scrypt cost as in production)
// with convs conversations of perConv cached messages each, and returns its
// directory and signaling config. The phone is never reachable.
func benchProfile(b testing.TB, convs, perConv int) (string, *provisioning.Signaling) {
	b.Helper()
	srvKey, _ := cryptobox.GenerateKeyPair(rand.Reader)
	sig := &provisioning.Signaling{URL: "ws://127.0.0.1:9", PublicKey: srvKey.Public.String()}
	dir := b.TempDir()
	ctx := context.Background()
	s, err := Start(ctx, Config{DataDir: dir, Mode: ModeWeb, Signaling: sig})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Link.StartPairing(PairingOptions{Remember: true, Password: benchPassword}); err != nil {
		b.Fatal(err)
	}
	s.Link.halt("")
	key, _ := cryptobox.GenerateKeyPair(rand.Reader)
	peer, _ := cryptobox.GenerateKeyPair(rand.Reader)
	s.Link.mu.Lock()
	v := s.Link.vault
	s.Link.mu.Unlock()
	if err := sealSession(ctx, s.store, v, rand.Reader, key, peer.Public); err != nil {
		b.Fatal(err)
	}
	ses := s.Chat.ses
	rs := Receivers{Contacts: []Contact{}, Groups: []Group{}, DistributionLists: []DistributionList{}}
	var list []Conversation
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for c := range convs {
		id := fmt.Sprintf("P%07d", c)
		rs.Contacts = append(rs.Contacts, Contact{ID: id, Name: "Contact " + id, State: "ACTIVE", VerificationLevel: 1})
		r := Receiver{Type: ReceiverContact, ID: id}
		ms := make([]Message, 0, perConv)
		for i := range perConv {
			ms = append(ms, Message{ID: fmt.Sprint(i + 1), Receiver: r, Type: "text", Sender: id, SortKey: int64(i + 1),
				Date: base + int64(c*perConv+i)*1000, State: "read", Text: fmt.Sprintf("message %d of conversation %d with some words", i, c)})
		}
		if err := ses.putMessages(ctx, r, ms); err != nil {
			b.Fatal(err)
		}
		last := ms[len(ms)-1]
		list = append(list, Conversation{Receiver: r, Name: "Contact " + id, LastMessage: &last, LastActivity: last.Date})
	}
	if err := ses.putReceivers(ctx, rs); err != nil {
		b.Fatal(err)
	}
	if err := ses.putConversations(ctx, list, true); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	return dir, sig
}

// BenchmarkColdStartToConversationList: open a profile with 100,000 cached
// messages (1,000 conversations × 100), unlock it with the password (scrypt
// N=2^15) and read the conversation list the UI shows first.
func BenchmarkColdStartToConversationList(b *testing.B) {
	dir, sig := benchProfile(b, 1000, 100)
	for b.Loop() {
		s, err := Start(context.Background(), Config{DataDir: dir, Mode: ModeWeb, Signaling: sig})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Link.Unlock(benchPassword); err != nil {
			b.Fatal(err)
		}
		convs, err := s.Chat.Conversations()
		if err != nil || len(convs) != 1000 {
			b.Fatalf("%d conversations, %v", len(convs), err)
		}
		b.StopTimer()
		_ = s.Close()
		b.StartTimer()
	}
}

// BenchmarkOpenConversation reads the latest 50 messages of a conversation
// from the encrypted cache (the phone away), and the same page from a
// profile without a password for the ratio.
func BenchmarkOpenConversation(b *testing.B) {
	dir, sig := benchProfile(b, 100, 1000)
	s, err := Start(context.Background(), Config{DataDir: dir, Mode: ModeWeb, Signaling: sig})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	if _, err := s.Link.Unlock(benchPassword); err != nil {
		b.Fatal(err)
	}
	s.Link.halt("") // keep the cache path: no reconnect attempts
	r := Receiver{Type: ReceiverContact, ID: "P0000042"}
	run := func(b *testing.B) {
		for b.Loop() {
			page, err := s.Chat.Messages(r, "", 50)
			if err != nil || len(page.Messages) != 50 {
				b.Fatalf("%d messages, %v", len(page.Messages), err)
			}
		}
	}
	b.Run("sealed", run)
	ctx := context.Background()
	page, _ := s.Chat.Messages(r, "", 60)
	s.store.SetSealer(nil)
	if err := s.Chat.ses.putMessages(ctx, r, page.Messages); err != nil { // rewrite the newest 60 plain
		b.Fatal(err)
	}
	b.Run("plain", run)
}

// BenchmarkSearchCache searches the index of 100,000 cached messages built at unlock.
func BenchmarkSearchCache(b *testing.B) {
	dir, sig := benchProfile(b, 1000, 100)
	s, err := Start(context.Background(), Config{DataDir: dir, Mode: ModeWeb, Signaling: sig})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	start := time.Now()
	if _, err := s.Link.Unlock(benchPassword); err != nil {
		b.Fatal(err)
	}
	s.Link.halt("")
	for {
		if n, _ := s.index.Count(context.Background()); n == 100_000 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	rebuild := time.Since(start)
	for b.Loop() {
		hits, err := s.Chat.Search("conversation 999", 50)
		if err != nil || len(hits) == 0 {
			b.Fatalf("%d hits, %v", len(hits), err)
		}
	}
	b.ReportMetric(float64(rebuild.Milliseconds()), "ms-unlock+index")
}
