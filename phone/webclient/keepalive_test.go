package webclient_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
	"github.com/kurier/kurier/rtclink"
)

// activeSession waits until srv has an active session (KeepConnected's work).
func activeSession(ctx context.Context, srv *webclient.Server) func() (*webclient.Session, error) {
	return func() (*webclient.Session, error) {
		for {
			if s := srv.Active(); s != nil {
				return s, nil
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}

// keep runs srv.KeepConnected until the test ends and checks that it returns.
func keep(t *testing.T, srv *webclient.Server) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.KeepConnected(ctx)
	}()
	stop = func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("KeepConnected did not return")
		}
	}
	t.Cleanup(stop)
	return stop
}

// noComeback checks that a trusted dial of the desktop finds no phone.
func noComeback(ctx context.Context, t *testing.T, cfg rtclink.Config, srv *webclient.Server, what string) {
	t.Helper()
	dctx, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	cfg.Tasks = []rtclink.Task{rtclink.NewWebRTCTask(rtclink.WebRTCConfig{})}
	if rs, err := rtclink.Dial(dctx, cfg); err == nil {
		_ = rs.Close(saltyrtc.CloseNormal)
		t.Fatalf("%s: the phone came back", what)
	}
	if srv.Active() != nil {
		t.Fatalf("%s: a session is active", what)
	}
}

// TestKeepConnected pairs a Go desktop permanently, restarts the phone's
// desktop server and lets KeepConnected reconnect it when the desktop dials
// again with the trusted key: after a restart, after a dropped link, not
// after the desktop said "stop" (until Reconnect is called), and not after
// a revoke.
func TestKeepConnected(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	b, _ := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}

	srv1 := webclient.New(a, webclient.Config{})
	d, sess, rcfg := pairPermanent(ctx, t, bj, srv1)
	id := sess.ID()
	// A restart of the phone: a new Server on the same store.
	if err := srv1.Close(); err != nil {
		t.Fatal(err)
	}
	channelEnds(ctx, t, d, "closed server")
	srv := serveDesktops(t, a, webclient.Config{})
	stopKeep := keep(t, srv)

	pushed := func(d *desktop, text string) {
		t.Helper()
		if _, err := b.SendText(ctx, a.ID(), text); err != nil {
			t.Fatal(err)
		}
		d.next(ctx, "update/messages "+text, func(m wc.WireMessage) bool {
			u, err := wc.DecodeMessagesUpdate(m)
			return err == nil && len(u.Messages) == 1 && u.Messages[0].Body == text
		})
	}

	// After the restart: no Reconnect call, the desktop just dials.
	d2, s2 := dial(ctx, t, rcfg, activeSession(ctx, srv))
	if s2.ID() != id {
		t.Fatalf("reconnected session %s, want %s", s2.ID(), id)
	}
	d2.handshake(ctx)
	pushed(d2, "after restart")

	// The link drops: the phone waits for the desktop again.
	_ = d2.rs.Close(saltyrtc.CloseNormal)
	<-s2.Done()
	d3, s3 := dial(ctx, t, rcfg, activeSession(ctx, srv))
	d3.handshake(ctx)
	pushed(d3, "after a drop")

	// "stop" from the desktop: no comeback until asked.
	d3.send(ctx, wc.NewConnectionDisconnect(wc.DisconnectStop))
	<-s3.Done()
	if r := s3.DisconnectReason(); r != wc.DisconnectStop {
		t.Fatalf("disconnect reason %q", r)
	}
	noComeback(ctx, t, rcfg, srv, "after stop")
	d4, _ := dial(ctx, t, rcfg, func() (*webclient.Session, error) { return srv.Reconnect(ctx, id) })
	d4.handshake(ctx)
	pushed(d4, "after explicit reconnect")

	// Revoked: gone for good.
	if err := srv.Revoke(ctx, id); err != nil {
		t.Fatal(err)
	}
	channelEnds(ctx, t, d4, "revoked session")
	noComeback(ctx, t, rcfg, srv, "after revoke")
	stopKeep()
}

// TestKeepConnectedDeleteAndClose: the desktop's "delete" deletes the
// session; Close cancels a dial that waits for an absent desktop.
func TestKeepConnectedDeleteAndClose(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()
	srv := webclient.New(a, webclient.Config{})
	keep(t, srv)
	d1, _, rcfg1 := pairPermanent(ctx, t, bj, srv)
	_, s2, _ := pairPermanent(ctx, t, bj, srv) // replaces s1
	channelEnds(ctx, t, d1, "replaced session")

	if err := srv.Revoke(ctx, s2.ID()); err != nil {
		t.Fatal(err)
	}
	// Now only s1 is stored: its desktop comes back and deletes the session.
	d, s := dial(ctx, t, rcfg1, activeSession(ctx, srv))
	d.handshake(ctx)
	d.send(ctx, wc.NewConnectionDisconnect(wc.DisconnectDelete))
	<-s.Done()
	list, err := srv.Sessions(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("sessions after the desktop's delete: %+v, %v", list, err)
	}

	// A dial pending at the signaling server ends with Close.
	d3, s3, _ := pairPermanent(ctx, t, bj, srv)
	_ = d3.rs.Close(saltyrtc.CloseNormal)
	<-s3.Done()
	time.Sleep(300 * time.Millisecond) // KeepConnected is dialling
	closed := make(chan struct{})
	go func() {
		_ = srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end a pending dial")
	}
	noSessionGoroutines(t)
}

// TestKeepConnectedWaitsUntilTheEndedSessionIsCleared holds the server
// between a session's end and its letting go of it: KeepConnected must not
// dial in that window, or the notification that ends it cancels the dial,
// perhaps after the desktop had already answered (the desktop's dial then
// fails with its channel closed). Once the server lets go, it dials.
func TestKeepConnectedWaitsUntilTheEndedSessionIsCleared(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()
	srv := serveDesktops(t, a, webclient.Config{})
	held, release := make(chan struct{}, 1), make(chan struct{})
	var first, released sync.Once
	let := func() { released.Do(func() { close(release) }) }
	defer let() // a failed test does not hold the cleanup
	webclient.HoldEnded(srv, func() {
		first.Do(func() {
			held <- struct{}{}
			<-release
		})
	})
	keep(t, srv)
	d, sess, rcfg := pairPermanent(ctx, t, bj, srv)
	_ = d.rs.Close(saltyrtc.CloseNormal) // the link drops
	<-sess.Done()
	<-held
	noComeback(ctx, t, rcfg, srv, "before the ended session is cleared")
	let()
	d2, s2 := dial(ctx, t, rcfg, activeSession(ctx, srv))
	if s2.ID() != sess.ID() {
		t.Fatalf("reconnected session %s, want %s", s2.ID(), sess.ID())
	}
	d2.handshake(ctx)
}
