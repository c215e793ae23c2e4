package phonelink

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
)

const timeout = 60 * time.Second

// textUpdate waits on conn's updates for an update/messages carrying text.
func textUpdate(t *testing.T, ctx context.Context, c *Conn, text string) {
	t.Helper()
	for {
		select {
		case m, ok := <-c.Updates():
			if !ok {
				t.Fatalf("connection ended while waiting for %q: %v", text, c.Err())
			}
			if u, err := wc.DecodeMessagesUpdate(m); err == nil {
				for _, msg := range u.Messages {
					if msg.Body == text {
						return
					}
				}
			}
		case <-ctx.Done():
			t.Fatalf("no update with %q", text)
		}
	}
}

// TestResumeAfterDrop pairs with a real phone, drops the link without a
// goodbye (as a network does), and reconnects with the state the dropped
// connection left: the phone resumes, replays what was pushed in the gap,
// and a request sent into the dropped connection gets its reply on the new
// one. A phone that restarted cannot resume: the next connection is fresh.
func TestResumeAfterDrop(t *testing.T) {
	bj := phonetest.Backend(t)
	alice, _ := phonetest.Phone(t, bj, "Alice")
	bob, _ := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	phonetest.Befriend(t, alice, bob)
	srv := signalingOf(t, bj)
	desktops := startDesktops(t, alice)
	c1, offer := pairConn(ctx, t, srv, desktops)
	peer := c1.PeerKey()
	if c1.Resumed() {
		t.Fatal("a first connection cannot be resumed")
	}
	if _, err := c1.Request(ctx, wc.NewRequest(wc.SubProfile, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.SendText(ctx, alice.ID(), "before the drop"); err != nil {
		t.Fatal(err)
	}
	textUpdate(t, ctx, c1, "before the drop")

	// A request goes out, and the network drops the link before its reply
	// is read: no goodbye.
	c1.sendMu.Lock()
	before := c1.out.Sent()
	c1.sendMu.Unlock()
	inFlight := make(chan error, 1)
	go func() {
		_, err := c1.Request(ctx, wc.NewRequest(wc.SubReceivers, ""))
		inFlight <- err
	}()
	for {
		c1.sendMu.Lock()
		sent := c1.out.Sent()
		c1.sendMu.Unlock()
		if sent > before {
			break
		}
		time.Sleep(time.Millisecond)
	}
	_ = c1.rs.Close(saltyrtc.CloseGoingAway)
	<-c1.Done()
	prev := c1.ResumeState()
	if prev == nil {
		t.Fatal("a dropped connection left nothing to resume")
	}
	if _, err := bob.SendText(ctx, alice.ID(), "in the gap"); err != nil {
		t.Fatal(err)
	}
	c2, err := Dial(ctx, DialConfig{Server: srv, Key: offer.Key, TrustedPeer: peer, Resume: prev})
	if err != nil {
		t.Fatal(err)
	}
	if !c2.Resumed() {
		t.Fatal("the phone did not resume")
	}
	textUpdate(t, ctx, c2, "in the gap")
	if err := <-inFlight; err != nil {
		t.Fatalf("the request sent before the drop: %v", err)
	}
	if _, err := c2.Request(ctx, wc.NewRequest(wc.SubProfile, "")); err != nil {
		t.Fatal(err)
	}

	// The phone restarts: its resume state is gone, the next connection is fresh.
	_ = c2.rs.Close(saltyrtc.CloseGoingAway)
	<-c2.Done()
	prev = c2.ResumeState()
	_ = desktops.Close()
	startDesktops(t, alice)
	c3, err := Dial(ctx, DialConfig{Server: srv, Key: offer.Key, TrustedPeer: peer, Resume: prev})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c3.Close(wc.DisconnectStop) }()
	if c3.Resumed() {
		t.Fatal("resumed a connection the phone no longer knows")
	}
	if _, err := c3.Request(ctx, wc.NewRequest(wc.SubProfile, "")); err != nil {
		t.Fatal(err)
	}
	// Closing on purpose leaves nothing to resume.
	_ = c3.Close(wc.DisconnectStop)
	if c3.ResumeState() != nil {
		t.Fatal("a connection closed on purpose left resume state")
	}
}

// TestRequestFailsWhenAbandoned: a request waiting when the link drops fails
// once the state is abandoned (the next connection started fresh).
func TestRequestFailsWhenAbandoned(t *testing.T) {
	r := &ResumeState{pending: map[string]*waiter{"abcdef": {reply: make(chan wc.WireMessage, 1)}}}
	ch := r.pending["abcdef"].reply
	r.Abandon()
	r.Abandon() // idempotent
	if _, ok := <-ch; ok {
		t.Fatal("the waiting request was not failed")
	}
	var nilState *ResumeState
	nilState.Abandon()
	if !errors.Is(&DisconnectError{Reason: wc.DisconnectDelete}, ErrDisconnected) {
		t.Fatal("DisconnectError does not match ErrDisconnected")
	}
}

// signalingOf is the signaling server named by the backend.json at bj.
func signalingOf(t *testing.T, bj string) Server {
	t.Helper()
	prov, err := provisioning.Load(bj)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ServerFrom(prov.Signaling)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// pairConn pairs a new desktop (a fresh offer, permanent) with the phone
// behind desktops and returns its connection and the offer.
func pairConn(ctx context.Context, t *testing.T, srv Server, desktops *webclient.Server) (*Conn, Offer) {
	t.Helper()
	offer, err := NewOffer(srv, cryptobox.KeyPair{}, true, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		c   *Conn
		err error
	}
	dialed := make(chan result, 1)
	go func() {
		c, err := Dial(ctx, DialConfig{Server: srv, Key: offer.Key, Token: &offer.Token})
		dialed <- result{c, err}
	}()
	if _, err := desktops.Pair(ctx, offer.Code); err != nil {
		t.Fatal(err)
	}
	r := <-dialed
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.c, offer
}

// startDesktops serves desktops for p, keeping its permanent sessions connected.
func startDesktops(t *testing.T, p *phone.Phone) *webclient.Server {
	t.Helper()
	return startDesktopsWith(t, p, webclient.Config{})
}

// startDesktopsWith is startDesktops with a phone-side config.
func startDesktopsWith(t *testing.T, p *phone.Phone, cfg webclient.Config) *webclient.Server {
	t.Helper()
	s := webclient.New(p, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.KeepConnected(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		_ = s.Close()
		<-done
	})
	return s
}
