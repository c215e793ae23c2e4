package chat

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// rawDial opens a plain TCP connection to the chat server.
func (w *world) rawDial(t *testing.T) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", w.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// expectClosed checks that the server closes nc within d (reads until EOF or
// a reset, ignoring whatever comes before).
func expectClosed(t *testing.T, nc net.Conn, d time.Duration) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, nc)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("server did not close the connection within %s", d)
	}
}

// rawLogin runs a correct handshake for u by hand and returns the session.
func (w *world) rawLogin(t *testing.T, nc net.Conn, u user) *csp.Session {
	t.Helper()
	hs, err := csp.NewClientHandshake(rand.Reader, u.id, u.key, w.key.Public)
	if err != nil {
		t.Fatal(err)
	}
	hello, _ := hs.Hello()
	if _, err := nc.Write(hello); err != nil {
		t.Fatal(err)
	}
	sh := make([]byte, csp.ServerHelloLen)
	if _, err := io.ReadFull(nc, sh); err != nil {
		t.Fatal(err)
	}
	if err := hs.ReadServerHello(sh); err != nil {
		t.Fatal(err)
	}
	login, err := hs.Login(csp.Extensions{HasPayloadVersion: true, PayloadVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nc.Write(login); err != nil {
		t.Fatal(err)
	}
	ack := make([]byte, csp.LoginAckLen)
	if _, err := io.ReadFull(nc, ack); err != nil {
		t.Fatal(err)
	}
	s, err := hs.ReadLoginAck(ack)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// readPayload reads and decodes one frame.
func readPayload(t *testing.T, nc net.Conn, s *csp.Session) csp.Payload {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(testTimeout))
	box, err := csp.ReadFrame(nc, nil)
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	c, err := s.OpenFrame(nil, box)
	if err != nil {
		t.Fatal(err)
	}
	p, err := csp.DecodePayload(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// handshakeUpToServerHello sends a client-hello and opens the server-hello.
func (w *world) handshakeUpToServerHello(t *testing.T, nc net.Conn) (tck cryptobox.KeyPair, cck csp.Cookie, sh csp.ServerHello) {
	t.Helper()
	tck, _ = cryptobox.GenerateKeyPair(rand.Reader)
	cck, _ = csp.RandomCookie(rand.Reader)
	if _, err := nc.Write(csp.ClientHello{TCK: tck.Public, CCK: cck}.AppendTo(nil)); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, csp.ServerHelloLen)
	if _, err := io.ReadFull(nc, b); err != nil {
		t.Fatal(err)
	}
	sh, err := csp.OpenServerHello(b, w.key.Public, tck.Secret)
	if err != nil {
		t.Fatal(err)
	}
	return tck, cck, sh
}

func TestBadInputClosesOnlyThatConnection(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *Config) { c.HandshakeTimeout = 500 * time.Millisecond })
	alice, bob, mallory := w.newUser(), w.newUser(), w.newUser()
	ca, cb := w.dial(alice), w.dial(bob)
	waitSynced(t, ca)
	waitSynced(t, cb)
	p := startPinger(t, ca, cb)

	tests := []struct {
		name string
		run  func(t *testing.T, nc net.Conn)
	}{
		{"truncated client-hello", func(t *testing.T, nc net.Conn) {
			_, _ = nc.Write(make([]byte, 20))
			_ = nc.(*net.TCPConn).CloseWrite()
			expectClosed(t, nc, testTimeout)
		}},
		{"garbage bytes", func(t *testing.T, nc net.Conn) {
			junk := make([]byte, 4096)
			_, _ = rand.Read(junk)
			_, _ = nc.Write(junk)
			expectClosed(t, nc, testTimeout)
		}},
		{"truncated login", func(t *testing.T, nc net.Conn) {
			w.handshakeUpToServerHello(t, nc)
			_, _ = nc.Write(make([]byte, csp.LoginLen-1))
			expectClosed(t, nc, testTimeout)
		}},
		{"oversized login (garbage box)", func(t *testing.T, nc net.Conn) {
			w.handshakeUpToServerHello(t, nc)
			_, _ = nc.Write(make([]byte, 4*csp.LoginLen))
			expectClosed(t, nc, testTimeout)
		}},
		{"slow-loris client-hello", func(t *testing.T, nc net.Conn) {
			start := time.Now()
			for i := 0; time.Since(start) < 2*time.Second; i++ {
				if _, err := nc.Write([]byte{byte(i)}); err != nil {
					break // closed by the server
				}
				time.Sleep(50 * time.Millisecond)
			}
			expectClosed(t, nc, time.Second)
			if time.Since(start) > 2*time.Second {
				t.Fatal("slow-loris client outlived the handshake timeout")
			}
		}},
		{"silent client", func(t *testing.T, nc net.Conn) {
			expectClosed(t, nc, 2*time.Second)
		}},
		{"wrong vouch (another key)", func(t *testing.T, nc net.Conn) {
			impostor := user{id: mallory.id, key: mustKeyPair(t)}
			hs, _ := csp.NewClientHandshake(rand.Reader, impostor.id, impostor.key, w.key.Public)
			hello, _ := hs.Hello()
			_, _ = nc.Write(hello)
			sh := make([]byte, csp.ServerHelloLen)
			if _, err := io.ReadFull(nc, sh); err != nil {
				t.Fatal(err)
			}
			if err := hs.ReadServerHello(sh); err != nil {
				t.Fatal(err)
			}
			login, _ := hs.Login(csp.Extensions{})
			_, _ = nc.Write(login)
			_ = nc.SetReadDeadline(time.Now().Add(testTimeout))
			if n, err := io.ReadFull(nc, make([]byte, csp.LoginAckLen)); err == nil {
				t.Fatalf("impostor got %d bytes of login-ack", n)
			}
		}},
		{"legacy vouch box", func(t *testing.T, nc net.Conn) {
			tck, cck, sh := w.handshakeUpToServerHello(t, nc)
			key := cryptobox.Precompute(sh.TSK, tck.Secret)
			plain := make([]byte, csp.LoginDataLen)
			copy(plain, mallory.id[:])
			copy(plain[40:], sh.SCK[:])
			vn, _ := cryptobox.RandomNonce(rand.Reader)
			copy(plain[56:], vn[:])                                                                     // vouch-nonce
			copy(plain[80:], cryptobox.Seal(nil, tck.Public[:], &vn, w.key.Public, mallory.key.Secret)) // 48-byte vouch box
			n1 := csp.TransportNonce(cck, 1)
			if _, err := nc.Write(key.Seal(nil, plain, &n1)); err != nil {
				t.Fatal(err)
			}
			// login-ack, then a close-error saying why.
			ack := make([]byte, csp.LoginAckLen)
			if _, err := io.ReadFull(nc, ack); err != nil {
				t.Fatal(err)
			}
			n2 := csp.TransportNonce(sh.SCK, 2)
			if _, err := key.Open(nil, ack, &n2); err != nil {
				t.Fatal(err)
			}
			box, err := csp.ReadFrame(nc, nil)
			if err != nil {
				t.Fatal(err)
			}
			n3 := csp.TransportNonce(sh.SCK, 3)
			c, err := key.Open(nil, box, &n3)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := csp.DecodePayload(c)
			if ce, ok := pl.(csp.CloseError); err != nil || !ok || ce.CanReconnect || ce.Message != msgLegacyLogin {
				t.Fatalf("refusal %#v, %v", pl, err)
			}
			expectClosed(t, nc, testTimeout)
		}},
		{"oversized frame after login", func(t *testing.T, nc net.Conn) {
			w.rawLogin(t, nc, mallory)
			_, _ = nc.Write([]byte{0xff, 0xff})
			_, _ = nc.Write(make([]byte, 100))
			expectClosed(t, nc, testTimeout)
		}},
		{"undersized frame after login", func(t *testing.T, nc net.Conn) {
			w.rawLogin(t, nc, mallory)
			_, _ = nc.Write([]byte{3, 0, 1, 2, 3})
			expectClosed(t, nc, testTimeout)
		}},
		{"truncated frame after login", func(t *testing.T, nc net.Conn) {
			s := w.rawLogin(t, nc, mallory)
			f, _ := s.SealPayload(nil, nil, csp.EchoRequest{Data: []byte("x")})
			_, _ = nc.Write(f[:len(f)-3])
			_ = nc.(*net.TCPConn).CloseWrite()
			expectClosed(t, nc, testTimeout)
		}},
		{"garbage frame after login", func(t *testing.T, nc net.Conn) {
			w.rawLogin(t, nc, mallory)
			junk := make([]byte, 102)
			_, _ = rand.Read(junk)
			binary.LittleEndian.PutUint16(junk, 100)
			_, _ = nc.Write(junk)
			expectClosed(t, nc, testTimeout)
		}},
		{"malformed envelope", func(t *testing.T, nc net.Conn) {
			s := w.rawLogin(t, nc, mallory)
			c := append([]byte{byte(csp.TypeOutgoingMessage), 0, 0, 0}, make([]byte, 50)...)
			f, _ := s.SealFrame(nil, c)
			_, _ = nc.Write(f)
			expectClosed(t, nc, testTimeout)
		}},
		{"forged sender", func(t *testing.T, nc net.Conn) {
			s := w.rawLogin(t, nc, mallory)
			f, err := s.SealPayload(nil, nil, csp.OutgoingMessage{Envelope: envelope(alice.id, bob.id, 666, 0)})
			if err != nil {
				t.Fatal(err)
			}
			_, _ = nc.Write(f)
			expectClosed(t, nc, testTimeout)
		}},
		{"server-only payload from a client", func(t *testing.T, nc net.Conn) {
			s := w.rawLogin(t, nc, mallory)
			f, _ := s.SealPayload(nil, nil, csp.QueueSendComplete{})
			_, _ = nc.Write(f)
			expectClosed(t, nc, testTimeout)
		}},
		{"idle timeout out of range", func(t *testing.T, nc net.Conn) {
			s := w.rawLogin(t, nc, mallory)
			c := []byte{byte(csp.TypeSetConnectionIdleTimeout), 0, 0, 0, 5, 0}
			f, _ := s.SealFrame(nil, c)
			_, _ = nc.Write(f)
			expectClosed(t, nc, testTimeout)
		}},
		{"replayed frame", func(t *testing.T, nc net.Conn) {
			s := w.rawLogin(t, nc, mallory)
			f, _ := s.SealPayload(nil, nil, csp.EchoRequest{Data: []byte("once")})
			_, _ = nc.Write(f)
			_, _ = nc.Write(f)
			expectClosed(t, nc, testTimeout)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nc := w.rawDial(t)
			tt.run(t, nc)
		})
	}
	p.finish(t, 20)
}

func TestUnknownIdentityGetsCloseError(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	cfg := w.clientConfig(user{id: csp.ID{'N', 'O', 'B', 'O', 'D', 'Y', '0', '0'}, key: mustKeyPair(t)})
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_, err := client.Dial(ctx, cfg)
	var ce *client.CloseError
	if !errors.As(err, &ce) || ce.CanReconnect || ce.Message != msgUnknownIdentity {
		t.Fatalf("dial of an unknown identity: %v", err)
	}
}

func TestRevokedIdentityGetsCloseError(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	mallory := w.newUser()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := w.dirc.Revoke(ctx, mallory.id.String(), mallory.key); err != nil {
		t.Fatal(err)
	}
	_, err := client.Dial(ctx, w.clientConfig(mallory))
	var ce *client.CloseError
	if !errors.As(err, &ce) || ce.CanReconnect || ce.Message != msgRevokedIdentity {
		t.Fatalf("dial of a revoked identity: %v", err)
	}
}

func TestIdleConnectionIsClosed(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *Config) { c.IdleTimeout = 200 * time.Millisecond })
	u := w.newUser()
	nc := w.rawDial(t)
	s := w.rawLogin(t, nc, u)
	if _, ok := readPayload(t, nc, s).(csp.QueueSendComplete); !ok {
		t.Fatal("no queue-send-complete")
	}
	start := time.Now()
	expectClosed(t, nc, testTimeout)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("closed after %s, before the idle timeout", d)
	}
}

func TestClientSetsIdleTimeoutAndEchoes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *Config) { c.IdleTimeout = 200 * time.Millisecond })
	u := w.newUser()
	nc := w.rawDial(t)
	s := w.rawLogin(t, nc, u)
	readPayload(t, nc, s) // queue-send-complete
	f, _ := s.SealPayload(nil, nil, csp.SetConnectionIdleTimeout{Seconds: 30})
	f, _ = s.SealPayload(f, nil, csp.EchoRequest{Data: []byte("ping")})
	if _, err := nc.Write(f); err != nil {
		t.Fatal(err)
	}
	if e, ok := readPayload(t, nc, s).(csp.EchoResponse); !ok || string(e.Data) != "ping" {
		t.Fatalf("echo response %#v", e)
	}
	// Longer than the server's default idle timeout: still open.
	_ = nc.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	var ne net.Error
	if _, err := nc.Read(make([]byte, 1)); !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("connection closed despite the longer idle timeout: %v", err)
	}
}

func TestPushTokenPayloadsAreAccepted(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	u := w.newUser()
	nc := w.rawDial(t)
	s := w.rawLogin(t, nc, u)
	readPayload(t, nc, s)
	var f []byte
	for _, p := range []csp.Payload{
		csp.SetPushToken{PushToken: csp.PushToken{TokenType: csp.PushTokenFCM, Token: []byte("token")}},
		csp.SetHighPriorityPushToken{PushToken: csp.PushToken{TokenType: csp.PushTokenAPNsFirst, Token: []byte{1}}},
		csp.DeletePushTokens{DeviceIDs: []uint64{1}},
		csp.UnblockIncomingMessages{},
		csp.ClearDeviceCookieChangeIndication{},
		csp.EchoRequest{Data: []byte("still here")},
	} {
		var err error
		if f, err = s.SealPayload(f, nil, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := nc.Write(f); err != nil {
		t.Fatal(err)
	}
	if e, ok := readPayload(t, nc, s).(csp.EchoResponse); !ok || string(e.Data) != "still here" {
		t.Fatalf("after push payloads: %#v", e)
	}
}

func TestConnectionLimitPerIP(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *Config) { c.MaxConnectionsPerIP = 2 })
	a, b := w.rawDial(t), w.rawDial(t)
	_ = a
	_ = b
	eventually(t, "two admitted", func() bool {
		w.srv.limMu.Lock()
		defer w.srv.limMu.Unlock()
		return w.srv.total == 2
	})
	c := w.rawDial(t)
	expectClosed(t, c, testTimeout)
}

func mustKeyPair(t testing.TB) cryptobox.KeyPair {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func TestShutdownTellsClientsToReconnect(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	u := w.newUser()
	nc := w.rawDial(t)
	s := w.rawLogin(t, nc, u)
	readPayload(t, nc, s) // queue-send-complete
	w.stop()
	ce, ok := readPayload(t, nc, s).(csp.CloseError)
	if !ok || !ce.CanReconnect || ce.Message != msgShuttingDown {
		t.Fatalf("on shutdown: %#v", ce)
	}
	expectClosed(t, nc, testTimeout)
}
