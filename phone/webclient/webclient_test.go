package webclient_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// TestPairAndServe pairs a Go initiator with a real phone through the real
// signaling server and speaks the Threema Web protocol with it; then it
// reconnects in trusted-key mode, sends garbage and revokes the session.
func TestPairAndServe(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	b, bev := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()
	phonetest.Befriend(t, a, b)
	for i := range 55 {
		if _, err := a.SendText(ctx, b.ID(), fmt.Sprintf("history %d", i)); err != nil {
			t.Fatal(err)
		}
	}

	srv := serveDesktops(t, a, webclient.Config{})

	// A code for another server is refused before anything is dialled.
	key := newKey(t)
	cfg, sig := initiatorConfig(t, bj, key)
	if _, err := srv.Pair(ctx, qrFor(t, sig, key.Public, newToken(t), true, 1)); !errors.Is(err, webclient.ErrWrongServer) {
		t.Fatalf("pair with a code for another server: %v", err)
	}

	tok := newToken(t)
	cfg.AuthToken = &tok
	text := qrFor(t, sig, key.Public, tok, true, 0)
	d, sess := dial(ctx, t, cfg, func() (*webclient.Session, error) { return srv.Pair(ctx, text) })
	d.handshake(ctx)
	contactB := wc.Receiver{Type: wc.ReceiverContact, ID: b.ID()}
	parent := t
	run := func(name string, f func(t *testing.T)) {
		parent.Run(name, func(t *testing.T) {
			d.t = t
			defer func() { d.t = parent }()
			f(t)
		})
	}

	run("clientInfo", func(t *testing.T) {
		r := d.request(ctx, wc.NewClientInfoRequest("", wc.ClientInfoRequest{UserAgent: "test"}))
		if _, err := wc.DecodeClientInfo(r); err != nil {
			t.Fatal(err)
		}
	})
	run("receivers", func(t *testing.T) {
		r, err := wc.DecodeReceivers(d.request(ctx, wc.NewRequest(wc.SubReceivers, "")))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Contacts) != 1 || r.Contacts[0].ID != b.ID() {
			t.Fatalf("contacts: %+v", r.Contacts)
		}
	})
	run("profile", func(t *testing.T) {
		p, err := wc.DecodeProfile(d.request(ctx, wc.NewRequest(wc.SubProfile, "")))
		if err != nil || p.Identity != a.ID() {
			t.Fatalf("profile %+v: %v", p, err)
		}
	})
	run("conversations", func(t *testing.T) {
		cs, err := wc.DecodeConversations(d.request(ctx, wc.NewConversationsRequest("", wc.ConversationsRequest{})))
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Receiver != contactB || cs[0].MessageCount != 55 || cs[0].LatestMessage == nil {
			t.Fatalf("conversations: %+v", cs)
		}
	})
	run("messages paged", func(t *testing.T) {
		p1, err := wc.DecodeMessagesResponse(d.request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: contactB})))
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Messages) != 50 || !p1.More || p1.Messages[49].Body != "history 54" {
			t.Fatalf("first page: %d messages, more %v", len(p1.Messages), p1.More)
		}
		p2, err := wc.DecodeMessagesResponse(d.request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: contactB, RefMsgID: p1.Messages[0].ID})))
		if err != nil {
			t.Fatal(err)
		}
		if len(p2.Messages) != 5 || p2.More || p2.Messages[0].Body != "history 0" || p2.Messages[4].Body != "history 4" {
			t.Fatalf("second page: %d messages, more %v", len(p2.Messages), p2.More)
		}
	})
	run("create textMessage", func(t *testing.T) {
		r, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewTextMessageCreate("", wc.TextMessageCreate{Receiver: contactB, Text: "from the desktop"})))
		if err != nil || r.MessageID == "" {
			t.Fatalf("created %+v: %v", r, err)
		}
		phonetest.Wait(t, bev, "desktop's message at B", func(e phone.Event) bool {
			return e.Kind == phone.EventMessage && e.Message.Body == "from the desktop"
		})
	})
	run("incoming pushed", func(t *testing.T) {
		if _, err := b.SendText(ctx, a.ID(), "hello desktop"); err != nil {
			t.Fatal(err)
		}
		m := d.next(ctx, "update/messages", func(m wc.WireMessage) bool {
			if m.Type != wc.TypeUpdate || m.SubType != wc.SubMessages {
				return false
			}
			u, err := wc.DecodeMessagesUpdate(m)
			return err == nil && u.Mode == wc.ModeNew && len(u.Messages) == 1 && u.Messages[0].Body == "hello desktop"
		})
		u, _ := wc.DecodeMessagesUpdate(m)
		if u.Receiver != contactB || u.Messages[0].IsOutbox {
			t.Fatalf("update: %+v", u)
		}
		// Reading it sends a receipt and pushes the conversation.
		d.send(ctx, wc.NewMessageRef(d.newID(), wc.MessageRef{Key: wc.Key{Type: wc.TypeRequest, SubType: wc.SubRead}, Receiver: contactB, MessageID: u.Messages[0].ID}))
		d.next(ctx, "update/conversation", func(m wc.WireMessage) bool {
			c, err := wc.DecodeConversationUpdate(m)
			return err == nil && c.Conversation.UnreadCount == 0
		})
	})
	run("errors", func(t *testing.T) {
		// A known kind with a bad payload: badRequest.
		r := d.request(ctx, wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubMessages})
		if r.Ack.Success || r.Ack.Error != wc.CodeBadRequest {
			t.Fatalf("bad payload: %+v", r.Ack)
		}
		// A list that does not exist: invalidDistributionList.
		r = d.request(ctx, wc.NewCleanReceiverConversation("", wc.Receiver{Type: wc.ReceiverDistributionList, ID: "999"}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidDistributionList {
			t.Fatalf("unknown list: %+v", r.Ack)
		}
		// Unknown contact: invalidContact.
		r = d.request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: wc.Receiver{Type: wc.ReceiverContact, ID: "ZZZZZZZZ"}}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidContact {
			t.Fatalf("unknown contact: %+v", r.Ack)
		}
		// The session still serves.
		if _, err := wc.DecodeProfile(d.request(ctx, wc.NewRequest(wc.SubProfile, ""))); err != nil {
			t.Fatal(err)
		}
	})

	// Garbage ends this session only.
	d.sendRaw(ctx, []byte{0xc1, 0xff, 0x00})
	select {
	case <-sess.Done():
	case <-ctx.Done():
		t.Fatal("garbage did not end the session")
	}
	list, err := srv.Sessions(ctx)
	if err != nil || len(list) != 1 || !list[0].Permanent || list[0].Active {
		t.Fatalf("sessions %+v: %v", list, err)
	}

	// Trusted reconnect: no token.
	rcfg, _ := initiatorConfig(t, bj, key)
	rcfg.TrustedPeerKey = d.phone
	d2, _ := dial(ctx, t, rcfg, func() (*webclient.Session, error) { return srv.Reconnect(ctx, list[0].ID) })
	d2.handshake(ctx)
	if _, err := b.SendText(ctx, a.ID(), "after reconnect"); err != nil {
		t.Fatal(err)
	}
	d2.next(ctx, "update/messages after reconnect", func(m wc.WireMessage) bool {
		u, err := wc.DecodeMessagesUpdate(m)
		return err == nil && len(u.Messages) == 1 && u.Messages[0].Body == "after reconnect"
	})

	// One active session: pairing another desktop (not permanent) replaces it.
	key3 := newKey(t)
	cfg3, _ := initiatorConfig(t, bj, key3)
	tok3 := newToken(t)
	cfg3.AuthToken = &tok3
	text3 := qrFor(t, sig, key3.Public, tok3, false, 0)
	d3, sess3 := dial(ctx, t, cfg3, func() (*webclient.Session, error) { return srv.Pair(ctx, text3) })
	d3.handshake(ctx)
	channelEnds(ctx, t, d2, "replaced session")
	if _, err := srv.Reconnect(ctx, sess3.ID()); !errors.Is(err, webclient.ErrNotPermanent) {
		t.Fatalf("reconnect of a session that is not permanent: %v", err)
	}

	// Revoked: no reconnect later; revoking the active one closes it.
	if err := srv.Revoke(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Reconnect(ctx, list[0].ID); !errors.Is(err, webclient.ErrSessionNotFound) {
		t.Fatalf("reconnect after revoke: %v", err)
	}
	if err := srv.Revoke(ctx, sess3.ID()); err != nil {
		t.Fatal(err)
	}
	channelEnds(ctx, t, d3, "revoked session")
	if list, err := srv.Sessions(ctx); err != nil || len(list) != 0 {
		t.Fatalf("sessions after revoke %+v: %v", list, err)
	}
}

// noSessionGoroutines fails if a goroutine of a session outlives Close.
func noSessionGoroutines(t *testing.T) {
	t.Helper()
	// Close waits for the session goroutines' Done; a goroutine may still be
	// returning from its deferred Done when the stacks are read, so look
	// again for a moment before calling one left behind.
	var left []string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		left = sessionGoroutines()
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for _, g := range left {
		t.Errorf("goroutine left after Close:\n%s", g)
	}
}

// sessionGoroutines returns the stacks of the goroutines running in a Session or the Server.
func sessionGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "webclient.(*Session)") || strings.Contains(g, "webclient.(*Server)") {
			out = append(out, g)
		}
	}
	return out
}

// channelEnds waits until the phone ends d's channel; an
// update/connectionDisconnect may come first.
func channelEnds(ctx context.Context, t *testing.T, d *desktop, what string) {
	t.Helper()
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		b, err := d.ch.Receive(rctx)
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s: channel still open", what)
		}
		if err != nil {
			return
		}
		if m, err := wc.Decode(b); err == nil && m.SubType == wc.SubConnectionDisconnect {
			return
		}
	}
}
