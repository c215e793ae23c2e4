package rtclink

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/chunking"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// setup starts a server, pairs two Go peers through it and returns them; the
// returned function closes both sessions, stops the server and checks for
// leaked goroutines.
func setup(t *testing.T, ini, res WebRTCConfig) (*peer, *peer, context.Context, func()) {
	t.Helper()
	leaks := leakCheck(t)
	stopDog := watchdog(t, 2*webrtcTestTimeout)
	srv := startSignaling(t)
	ic, rc := srv.configs(t, ini, res)
	ctx, cancel := context.WithTimeout(context.Background(), webrtcTestTimeout)
	a, b, err := pairChannel(ctx, ic, rc)
	if err != nil {
		cancel()
		srv.stop()
		t.Fatalf("pair: %v", err)
	}
	return a, b, ctx, func() {
		_ = a.s.Close(saltyrtc.CloseNormal)
		_ = b.s.Close(saltyrtc.CloseNormal)
		cancel()
		srv.stop()
		stopDog()
		leaks()
	}
}

func TestWebRTCHandoverAndTenMegabytes(t *testing.T) {
	a, b, ctx, done := setup(t, WebRTCConfig{}, WebRTCConfig{})
	defer done()

	// Handover: both sides sent `handover`, closed their WebSocket (3003)
	// and their reader goroutines ended; the sessions live on.
	for _, p := range []*peer{a, b} {
		select {
		case <-p.t.HandedOver():
		case <-ctx.Done():
			t.Fatal("no handover")
		}
		select {
		case <-p.s.readerDone:
		case <-ctx.Done():
			t.Fatal("WebSocket still open after the handover")
		}
		if !p.s.isHandedOver() || p.s.Err() != nil {
			t.Fatalf("session after handover: handed over %v, err %v", p.s.isHandedOver(), p.s.Err())
		}
	}

	// 10 MB from the initiator: 160 messages of 64 KiB, each numbered, then
	// compared by SHA-256; and one reply the other way.
	const n, size = 160, 64 << 10
	sent := sha256.New()
	errc := make(chan error, 1)
	go func() {
		msg := make([]byte, size)
		for i := range n {
			for j := range msg {
				msg[j] = byte(i*31 + j*7)
			}
			binary.BigEndian.PutUint32(msg, uint32(i))
			sent.Write(msg)
			if err := a.ch.Send(ctx, msg); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	got := sha256.New()
	for i := range n {
		m, err := b.ch.Receive(ctx)
		if err != nil {
			t.Fatalf("receive %d: %v", i, err)
		}
		if len(m) != size || binary.BigEndian.Uint32(m) != uint32(i) {
			t.Fatalf("message %d: %d bytes, number %d", i, len(m), binary.BigEndian.Uint32(m))
		}
		got.Write(m)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sent.Sum(nil), got.Sum(nil)) {
		t.Fatal("checksum differs")
	}
	if err := b.ch.Send(ctx, []byte("thanks")); err != nil {
		t.Fatal(err)
	}
	if m, err := a.ch.Receive(ctx); err != nil || string(m) != "thanks" {
		t.Fatalf("reply: %q %v", m, err)
	}

	// The signalling continues over the data channel: the initiator's close
	// reaches the responder there (the WebSockets are gone).
	if err := a.s.Close(saltyrtc.CloseNormal); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(a.s.Err(), ErrClosed) {
		t.Fatalf("after Close: %v", a.s.Err())
	}
	select {
	case <-b.s.Done():
	case <-ctx.Done():
		t.Fatal("the responder's session did not end")
	}
	if err := b.s.Err(); !errors.Is(err, saltyrtc.ErrGoingAway) {
		t.Fatalf("responder's session ended with %v, want the peer's close", err)
	}
	if _, err := b.ch.Receive(ctx); !errors.Is(err, ErrChannelClosed) {
		t.Fatalf("receive after the peer's close: %v", err)
	}
}

func TestWebRTCReceiverClosesMidTransfer(t *testing.T) {
	a, b, ctx, done := setup(t, WebRTCConfig{}, WebRTCConfig{})
	defer done()
	errc := make(chan error, 1)
	go func() {
		msg := make([]byte, 64<<10)
		for {
			if err := a.ch.Send(ctx, msg); err != nil {
				errc <- err
				return
			}
		}
	}()
	for range 20 {
		if _, err := b.ch.Receive(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.s.Close(saltyrtc.CloseNormal); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrChannelClosed) {
			t.Fatalf("sender: %v", err)
		}
		if ctx.Err() != nil {
			t.Fatal("the sender hung until the deadline")
		}
	case <-ctx.Done():
		t.Fatal("the sender hangs")
	}
	if _, err := b.ch.Receive(ctx); err == nil {
		// Messages already received may still be returned; then the error.
		for err == nil {
			_, err = b.ch.Receive(ctx)
		}
	}
	select {
	case <-a.s.Done():
	case <-ctx.Done():
		t.Fatal("the sender's session did not end")
	}
}

func TestWebRTCSenderClosesMidMessage(t *testing.T) {
	a, b, ctx, done := setup(t, WebRTCConfig{}, WebRTCConfig{MaxChunkSize: 16 << 10})
	defer done()
	// One 8 MiB message in 16 KiB chunks: the sender leaves in the middle.
	go func() {
		_ = a.ch.Send(ctx, make([]byte, 8<<20))
	}()
	time.Sleep(20 * time.Millisecond)
	if err := a.s.Close(saltyrtc.CloseNormal); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		_, err := b.ch.Receive(ctx)
		if err == nil {
			continue // the message may have made it
		}
		if !errors.Is(err, ErrChannelClosed) || ctx.Err() != nil {
			t.Fatalf("receiver: %v after %v", err, time.Since(start))
		}
		break
	}
}

func TestWebRTCReassemblyBound(t *testing.T) {
	a, b, ctx, done := setup(t, WebRTCConfig{MaxChunkSize: 16 << 10},
		WebRTCConfig{Reassembly: chunking.Limits{MaxMessageSize: 64 << 10}})
	defer done()
	if err := a.ch.Send(ctx, make([]byte, 32<<10)); err != nil {
		t.Fatal(err)
	}
	if m, err := b.ch.Receive(ctx); err != nil || len(m) != 32<<10 {
		t.Fatalf("within the bound: %d bytes, %v", len(m), err)
	}
	_ = a.ch.Send(ctx, make([]byte, 100<<10)) // over the receiver's bound
	if _, err := b.ch.Receive(ctx); !errors.Is(err, chunking.ErrMessageTooLarge) {
		t.Fatalf("over the bound: %v", err)
	}
	select {
	case <-a.ch.Done():
	case <-ctx.Done():
		t.Fatal("the sender's channel stays open")
	}
}

func TestWebRTCRejectsReplayedAndTamperedMessages(t *testing.T) {
	a, b, ctx, done := setup(t, WebRTCConfig{}, WebRTCConfig{})
	defer done()
	// A frame as Send builds it: one chunk, message id 0xfffffff0.
	frame := func(plain []byte) []byte {
		hdr := []byte{1, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0}
		box, err := a.ch.crypto.seal(nil, plain)
		if err != nil {
			t.Fatal(err)
		}
		return append(hdr, box...)
	}
	f := frame([]byte("once"))
	if err := a.ch.dc.Send(f); err != nil {
		t.Fatal(err)
	}
	if m, err := b.ch.Receive(ctx); err != nil || string(m) != "once" {
		t.Fatalf("first: %q %v", m, err)
	}
	if err := a.ch.dc.Send(f); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ch.Receive(ctx); !errors.Is(err, ErrReplay) || !errors.Is(err, saltyrtc.ErrProtocol) {
		t.Fatalf("replayed: %v", err)
	}

	// Tampering, on a second channel.
	ca, err := a.t.OpenChannel(ctx, "second")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := b.t.AcceptChannel(ctx, "second")
	if err != nil {
		t.Fatal(err)
	}
	box, err := ca.crypto.seal(nil, []byte("genuine"))
	if err != nil {
		t.Fatal(err)
	}
	box[len(box)-1] ^= 1
	if err := ca.dc.Send(append([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0}, box...)); err != nil {
		t.Fatal(err)
	}
	if _, err := cb.Receive(ctx); !errors.Is(err, saltyrtc.ErrDecrypt) {
		t.Fatalf("tampered: %v", err)
	}
	// A broken app channel does not end the session.
	if a.s.Err() != nil || b.s.Err() != nil {
		t.Fatalf("sessions: %v, %v", a.s.Err(), b.s.Err())
	}
}

func TestWebRTCWithoutHandover(t *testing.T) {
	a, b, ctx, done := setup(t, WebRTCConfig{}, WebRTCConfig{NoHandover: true})
	defer done()
	if err := a.ch.Send(ctx, []byte("over the channel")); err != nil {
		t.Fatal(err)
	}
	if m, err := b.ch.Receive(ctx); err != nil || string(m) != "over the channel" {
		t.Fatalf("%q %v", m, err)
	}
	select {
	case <-a.t.HandedOver():
		t.Fatal("handed over although the responder refused")
	default:
	}
	if a.s.isHandedOver() || b.s.isHandedOver() {
		t.Fatal("a WebSocket was closed for a handover")
	}
	if _, err := a.t.OpenChannel(ctx, signalingLabel); !errors.Is(err, ErrChannelLabel) {
		t.Fatalf("signalling label: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := b.t.AcceptChannel(short, "never"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("accept without a peer channel: %v", err)
	}

	// The close goes over the WebSocket here; both sides end cleanly.
	if err := a.s.Close(saltyrtc.CloseNormal); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(a.s.Err(), ErrClosed) {
		t.Fatalf("after Close: %v", a.s.Err())
	}
	if _, err := a.t.OpenChannel(ctx, "late"); !errors.Is(err, ErrChannelClosed) {
		t.Fatalf("open after Close: %v", err)
	}
	if err := a.ch.Send(ctx, []byte("late")); !errors.Is(err, ErrChannelClosed) {
		t.Fatalf("send after Close: %v", err)
	}
	select {
	case <-b.s.Done():
	case <-ctx.Done():
		t.Fatal("the responder's session did not end")
	}
	if _, err := b.ch.Receive(ctx); !errors.Is(err, ErrChannelClosed) {
		t.Fatalf("receive after the peer's close: %v", err)
	}
}

// TestCloseIsTheReasonWhateverEndsTheSessionFirst: once Close has begun,
// the session's end reason is ErrClosed even when another goroutine ends it
// first: the reader handing the state machine, already closed by Close's
// `close`, the peer's late message (CI saw "rtclink: saltyrtc: closed").
func TestCloseIsTheReasonWhateverEndsTheSessionFirst(t *testing.T) {
	a, _, _, done := setup(t, WebRTCConfig{}, WebRTCConfig{NoHandover: true})
	defer done()
	a.s.closedLocally.Store(true) // Close's first step
	a.s.finish(fmt.Errorf("rtclink: %w", saltyrtc.ErrClosed), true)
	if err := a.s.Close(saltyrtc.CloseNormal); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(a.s.Err(), ErrClosed) {
		t.Fatalf("after Close: %v", a.s.Err())
	}
}
