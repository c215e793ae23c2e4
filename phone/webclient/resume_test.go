package webclient_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// isText matches update/messages with one message of that text.
func isText(text string) func(wc.WireMessage) bool {
	return func(m wc.WireMessage) bool {
		u, err := wc.DecodeMessagesUpdate(m)
		return err == nil && len(u.Messages) == 1 && u.Messages[0].Body == text
	}
}

// TestResume drops the link of a connected desktop and resumes: the phone
// replays what the desktop had not received, then the events of the gap;
// connectionAck answers with the phone's count and prunes its cache; a
// resume from a pruned sequence number fails that connection, and the next
// one starts fresh.
func TestResume(t *testing.T) {
	bj := phonetest.Backend(t)
	a, aev := phonetest.Phone(t, bj, "Alice")
	b, _ := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}
	srv := serveDesktops(t, a, webclient.Config{})
	keep(t, srv)
	d, sess, rcfg := pairPermanent(ctx, t, bj, srv)
	send := func(text string) {
		t.Helper()
		if _, err := b.SendText(ctx, a.ID(), text); err != nil {
			t.Fatal(err)
		}
		phonetest.Wait(t, aev, "arrival of "+text, func(e phone.Event) bool {
			return e.Kind == phone.EventMessage && e.Message.Body == text
		})
	}

	// connectionAck: the phone answers with the number of messages it got.
	r := d.request(ctx, wc.NewConnectionAckRequest())
	if a, err := wc.DecodeConnectionAck(r); err != nil || a.SequenceNumber != d.sent {
		t.Fatalf("connectionAck %+v (%v), the desktop sent %d", a, err, d.sent)
	}
	send("seen")
	d.next(ctx, "seen", isText("seen"))
	d.next(ctx, "conversation after seen", func(m wc.WireMessage) bool { return m.SubType == wc.SubConversation })
	seen := d.received
	// This one the phone sends but the desktop never reads.
	send("in flight")
	time.Sleep(300 * time.Millisecond)
	oldID, oldSent := d.connID, d.sent
	_ = d.rs.Close(saltyrtc.CloseNormal)
	<-sess.Done()
	send("in the gap") // while no desktop is connected

	d2, _ := dial(ctx, t, rcfg, activeSession(ctx, srv))
	ci := d2.handshakeResume(ctx, &wc.ResumeInfo{ID: oldID, SequenceNumber: seen})
	if ci.Resume == nil || !bytes.Equal(ci.Resume.ID, oldID) || ci.Resume.SequenceNumber != oldSent {
		t.Fatalf("phone's resume %+v, want id %x and %d", ci.Resume, oldID, oldSent)
	}
	d2.next(ctx, "replayed in flight", isText("in flight"))
	d2.next(ctx, "gap event", isText("in the gap"))
	for _, m := range d2.backlog {
		if isText("seen")(m) {
			t.Fatal("a message the desktop had received was replayed")
		}
	}
	// Acknowledge everything so far; the phone prunes its cache.
	if _, err := wc.DecodeProfile(d2.request(ctx, wc.NewRequest(wc.SubProfile, ""))); err != nil {
		t.Fatal(err)
	}
	ackN := d2.received
	d2.send(ctx, wc.NewConnectionAck(ackN))
	if _, err := wc.DecodeProfile(d2.request(ctx, wc.NewRequest(wc.SubProfile, ""))); err != nil {
		t.Fatal(err)
	}
	oldID2, acked := d2.connID, ackN-1 // below the ack: pruned
	_ = d2.rs.Close(saltyrtc.CloseNormal)
	waitNoActive(ctx, t, srv)

	// Resume from a pruned sequence number: the phone refuses.
	d3, _ := dial(ctx, t, rcfg, activeSession(ctx, srv))
	d3.noAcks = true // the phone ends this connection right after the handshake
	if ci := d3.handshakeResume(ctx, &wc.ResumeInfo{ID: oldID2, SequenceNumber: acked}); ci.Resume == nil {
		t.Fatal("the phone did not offer to resume")
	}
	d3.next(ctx, "connectionDisconnect", func(m wc.WireMessage) bool {
		c, err := wc.DecodeConnectionDisconnect(m)
		return err == nil && c.Reason == wc.DisconnectError
	})
	waitNoActive(ctx, t, srv)

	// The next connection is fresh.
	d4, _ := dial(ctx, t, rcfg, activeSession(ctx, srv))
	if ci := d4.handshakeResume(ctx, &wc.ResumeInfo{ID: d3.connID, SequenceNumber: 1}); ci.Resume != nil {
		t.Fatalf("the phone offered to resume after a failed resume: %+v", ci.Resume)
	}
	send("fresh")
	d4.next(ctx, "fresh", isText("fresh"))
}

// TestResumeCacheOverflow: past the cache's limit the phone no longer
// offers to resume, and the desktop's request to resume starts a fresh
// connection.
func TestResumeCacheOverflow(t *testing.T) {
	bj := phonetest.Backend(t)
	a, aev := phonetest.Phone(t, bj, "Alice")
	b, _ := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}
	srv := serveDesktops(t, a, webclient.Config{ResumeMessages: 4})
	keep(t, srv)
	d, sess, rcfg := pairPermanent(ctx, t, bj, srv)
	for i := range 5 {
		text := fmt.Sprintf("m%d", i)
		if _, err := b.SendText(ctx, a.ID(), text); err != nil {
			t.Fatal(err)
		}
		phonetest.Wait(t, aev, text, func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == text })
	}
	d.next(ctx, "m4", isText("m4"))
	oldID := d.connID
	_ = d.rs.Close(saltyrtc.CloseNormal)
	<-sess.Done()

	d2, _ := dial(ctx, t, rcfg, activeSession(ctx, srv))
	if ci := d2.handshakeResume(ctx, &wc.ResumeInfo{ID: oldID, SequenceNumber: 1}); ci.Resume != nil {
		t.Fatalf("the phone offered to resume past its cache: %+v", ci.Resume)
	}
	// Fresh: it serves requests, and nothing is replayed.
	if _, err := wc.DecodeProfile(d2.request(ctx, wc.NewRequest(wc.SubProfile, ""))); err != nil {
		t.Fatal(err)
	}
	for _, m := range d2.backlog {
		if m.SubType == wc.SubMessages {
			t.Fatalf("replayed on a fresh connection: %+v", m)
		}
	}
}

// waitNoActive waits until srv has no active session.
func waitNoActive(ctx context.Context, t *testing.T, srv *webclient.Server) {
	t.Helper()
	for srv.Active() != nil {
		select {
		case <-ctx.Done():
			t.Fatal("the session did not end")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
