package client_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// TestMisaddressedMessageAckedAndDropped runs the client against a hostile
// server that delivers messages addressed to another identity. The client
// must acknowledge and drop them without handing them out, and keep its
// connection: dropping it would only bring the same messages back after the
// reconnect, forever.
func TestMisaddressedMessageAckedAndDropped(t *testing.T) {
	t.Parallel()
	self, victim := mustID(t, "CLIENT01"), mustID(t, "VICTIM01")
	sender, sender2 := mustID(t, "SENDER01"), mustID(t, "SENDER02")
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	// Sent after every login, the way a server redelivers unacknowledged
	// messages: a misaddressed one first (the frame the client reads during
	// login), then one for us, then another misaddressed one (read by the
	// connection's reader).
	h := newHostile(t, kp.Public,
		csp.IncomingMessage{Envelope: message(sender, victim, 0xbad1)},
		csp.IncomingMessage{Envelope: message(sender, self, 2)},
		csp.IncomingMessage{Envelope: message(sender2, victim, 0xbad2)},
		csp.QueueSendComplete{},
	)
	var logs syncBuffer
	c := dial(t, client.Config{Addr: h.addr(), ServerKey: h.key.Public, Identity: self.String(), Key: kp,
		ReconnectMin: 20 * time.Millisecond, ReconnectMax: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	select {
	case env := <-c.Incoming():
		if env.Receiver != self || env.Sender != sender || env.MessageID != 2 {
			t.Fatalf("first message handed out: %s→%s %x, want %s→%s 2", env.Sender, env.Receiver, env.MessageID, sender, self)
		}
		if err := c.Ack(ctx, env.Sender, env.MessageID); err != nil {
			t.Fatalf("ack: %v", err)
		}
	case n := <-h.dropped:
		t.Fatalf("the client dropped connection %d", n)
	case <-ctx.Done():
		t.Fatal("the properly addressed message was not delivered")
	}

	// The two misaddressed messages acknowledged by the client and ours by
	// the test, all on the first connection. The first is acknowledged
	// before ours is handed out; the other two acks race.
	want := map[serverAck]bool{{1, sender, 0xbad1}: true, {1, sender, 2}: true, {1, sender2, 0xbad2}: true}
	for i := range len(want) {
		select {
		case got := <-h.acks:
			if !want[got] || (i == 0) != (got.messageID == 0xbad1) {
				t.Fatalf("ack %d: got %v, want one of %v (bad1 first)", i, got, want)
			}
			delete(want, got)
		case n := <-h.dropped:
			t.Fatalf("the client dropped connection %d before ack %d", n, i)
		case <-ctx.Done():
			t.Fatalf("missing acks: %v", want)
		}
	}

	// Give a reconnect (20..50 ms back-off) ample time to happen.
	time.Sleep(250 * time.Millisecond)
	select {
	case n := <-h.dropped:
		t.Fatalf("the client dropped connection %d", n)
	case got := <-h.acks:
		t.Fatalf("unexpected ack %v", got)
	default:
	}
	if n := h.accepted.Load(); n != 1 {
		t.Fatalf("%d connections, want 1 (the client reconnected)", n)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("client stopped: %v", err)
	}

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	for env := range c.Incoming() { // closed by Close
		t.Errorf("also handed out: %s→%s %x", env.Sender, env.Receiver, env.MessageID)
	}
	out := logs.String()
	for _, from := range []string{"SENDER01", "SENDER02"} {
		if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "receiver=VICTIM01 sender="+from) {
			t.Errorf("no warning about the message from %s in the log:\n%s", from, out)
		}
	}
}

func mustID(t *testing.T, s string) csp.ID {
	t.Helper()
	id, err := csp.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// serverAck is a client ack (0x82) as the hostile server received it.
type serverAck struct {
	conn      int64 // 1 for the first connection
	sender    csp.ID
	messageID uint64
}

func (a serverAck) String() string {
	return fmt.Sprintf("conn %d: %s/%x", a.conn, a.sender, a.messageID)
}

// hostile is a minimal CSP server that logs in one client key and sends a
// fixed script of payloads after every login, then reports the client acks
// it receives and answers echo requests.
type hostile struct {
	ln        net.Listener
	key       cryptobox.KeyPair
	clientKey cryptobox.PublicKey
	script    []csp.Payload
	accepted  atomic.Int64
	acks      chan serverAck
	dropped   chan int64 // connections the client closed or broke
	closing   atomic.Bool
	wg        sync.WaitGroup
}

func newHostile(t *testing.T, clientKey cryptobox.PublicKey, script ...csp.Payload) *hostile {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := cryptobox.GenerateKeyPair(rand.Reader)
	h := &hostile{ln: ln, key: key, clientKey: clientKey, script: script,
		acks: make(chan serverAck, 64), dropped: make(chan int64, 64)}
	var mu sync.Mutex
	var conns []net.Conn
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			n := h.accepted.Add(1)
			mu.Lock()
			conns = append(conns, nc)
			mu.Unlock()
			h.wg.Add(1)
			go func() {
				defer h.wg.Done()
				defer func() { _ = nc.Close() }()
				if err := h.serve(nc, n); err != nil && !h.closing.Load() {
					t.Logf("hostile server, connection %d: %v", n, err)
					select {
					case h.dropped <- n:
					default:
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		h.closing.Store(true)
		_ = ln.Close()
		mu.Lock()
		for _, nc := range conns {
			_ = nc.Close()
		}
		mu.Unlock()
		h.wg.Wait()
	})
	return h
}

func (h *hostile) addr() string { return h.ln.Addr().String() }

// serve runs the server side of the handshake on nc, sends the script and
// then reads the client's frames until the connection ends.
func (h *hostile) serve(nc net.Conn, n int64) error {
	_ = nc.SetDeadline(time.Now().Add(testTimeout))
	hs, err := csp.NewServerHandshake(rand.Reader, h.key)
	if err != nil {
		return err
	}
	var hello [csp.ClientHelloLen]byte
	if _, err := io.ReadFull(nc, hello[:]); err != nil {
		return fmt.Errorf("read client-hello: %w", err)
	}
	sh, err := hs.ReadClientHello(hello[:])
	if err != nil {
		return err
	}
	if _, err := nc.Write(sh); err != nil {
		return err
	}
	var lb [csp.LoginLen]byte
	if _, err := io.ReadFull(nc, lb[:]); err != nil {
		return fmt.Errorf("read login: %w", err)
	}
	ld, err := hs.ReadLogin(lb[:])
	if err != nil {
		return err
	}
	if ld.ExtensionsLen > 0 {
		eb := make([]byte, ld.ExtensionsLen)
		if _, err := io.ReadFull(nc, eb); err != nil {
			return fmt.Errorf("read extensions: %w", err)
		}
		if _, err := hs.ReadExtensions(eb); err != nil {
			return err
		}
	}
	if err := hs.VerifyVouch(h.clientKey); err != nil {
		return err
	}
	out, sess, err := hs.Accept()
	if err != nil {
		return err
	}
	for _, p := range h.script {
		if out, err = sess.SealPayload(out, nil, p); err != nil {
			return err
		}
	}
	if _, err := nc.Write(out); err != nil {
		return err
	}
	buf := make([]byte, csp.MaxFrameLen)
	for {
		box, err := csp.ReadFrame(nc, buf)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		container, err := sess.OpenFrame(nil, box)
		if err != nil {
			return err
		}
		p, err := csp.DecodePayload(container)
		if err != nil {
			return err
		}
		switch p := p.(type) {
		case csp.ClientAck:
			select {
			case h.acks <- serverAck{conn: n, sender: p.Sender, messageID: p.MessageID}:
			default:
				return fmt.Errorf("too many acks")
			}
		case csp.EchoRequest:
			f, err := sess.SealPayload(nil, nil, csp.EchoResponse(p))
			if err != nil {
				return err
			}
			if _, err := nc.Write(f); err != nil {
				return err
			}
		}
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
