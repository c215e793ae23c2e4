package signaling

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

// rawPair is a raw initiator with one raw responder on its path.
func rawPair(t *testing.T, s *testServer) (ini, res *rawClient) {
	t.Helper()
	ini = mustRaw(t, s, genKey(t), rawOpts{})
	res = mustRaw(t, s, genKey(t), rawOpts{responderOf: ini.perm.Public})
	m, err := ini.readServer()
	if err != nil {
		t.Fatal(err)
	}
	if nr, ok := m.(saltyrtc.NewResponder); !ok || nr.ID != res.addr {
		t.Fatalf("initiator got %#v, want new-responder %d", m, res.addr)
	}
	if !*res.auth.InitiatorConnected {
		t.Fatal("responder: initiator_connected false")
	}
	return ini, res
}

func TestRelayUnchangedAndSendError(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	ini, res := rawPair(t, s)
	// Relayed both ways byte for byte; the server checks only the source address.
	for _, c := range []struct {
		from, to *rawClient
		dst      saltyrtc.Address
	}{{res, ini, saltyrtc.AddrInitiator}, {ini, res, res.addr}} {
		f := append(saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Source: c.from.addr, Destination: c.dst, Sequence: 7}, []byte("opaque")), 1, 2, 3)
		c.from.write(f)
		_, b, err := c.to.ws.ReadMessage()
		if err != nil || !bytes.Equal(b, f) {
			t.Fatalf("relayed %x, %v; want %x", b, err, f)
		}
	}
	// To an absent responder: send-error with src ‖ dst ‖ overflow ‖ sequence.
	f := saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Source: 1, Destination: 0x33, Overflow: 1, Sequence: 0x01020304}, []byte("x"))
	ini.write(f)
	m, err := ini.readServer()
	if err != nil {
		t.Fatal(err)
	}
	se, ok := m.(saltyrtc.SendError)
	if !ok || !bytes.Equal(se.ID[:], f[16:24]) {
		t.Fatalf("got %#v, want send-error %x", m, f[16:24])
	}
}

func TestDisconnected(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true })
	ini, res := rawPair(t, s)
	_ = res.ws.Close()
	m, err := ini.readServer()
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := m.(saltyrtc.Disconnected); !ok || d.ID != res.addr {
		t.Fatalf("initiator got %#v", m)
	}
	res2 := mustRaw(t, s, genKey(t), rawOpts{responderOf: ini.perm.Public})
	if res2.addr != res.addr {
		t.Fatalf("freed address not reused: %d", res2.addr)
	}
	_ = ini.ws.Close()
	m, err = res2.readServer()
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := m.(saltyrtc.Disconnected); !ok || d.ID != saltyrtc.AddrInitiator {
		t.Fatalf("responder got %#v", m)
	}
}

func TestDropResponderReasons(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true })
	for _, c := range []struct {
		reason, want saltyrtc.CloseCode
	}{{0, 3004}, {3001, 3001}, {3002, 3002}, {3004, 3004}, {3005, 3005}} {
		ini, res := rawPair(t, s)
		ini.send(ini.addr, saltyrtc.DropResponder{ID: res.addr, Reason: c.reason})
		expectClose(t, res.ws, c.want)
		// No disconnected for a dropped responder; the initiator stays.
		res2 := mustRaw(t, s, genKey(t), rawOpts{responderOf: ini.perm.Public})
		m, err := ini.readServer()
		if err != nil {
			t.Fatal(err)
		}
		if nr, ok := m.(saltyrtc.NewResponder); !ok || nr.ID != res2.addr {
			t.Fatalf("reason %d: initiator got %#v, want only new-responder", c.reason, m)
		}
	}
}

func TestInitiatorReplaced3004(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	ini, res := rawPair(t, s)
	ini2 := mustRaw(t, s, ini.perm, rawOpts{})
	expectClose(t, ini.ws, saltyrtc.CloseDroppedByInitiator)
	if got := ini2.auth.Responders; len(got) != 1 || got[0] != res.addr {
		t.Fatalf("new initiator's responders %v", got)
	}
	m, err := res.readServer()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(saltyrtc.NewInitiator); !ok {
		t.Fatalf("responder got %#v, want new-initiator", m)
	}
}

// TestProtocolErrors3001 sends each kind of bad frame on its own connection
// while another pair on the same server keeps working.
func TestProtocolErrors3001(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	iniCfg, resCfg := peerConfigs(t, s)
	a, b := dialPair(t, iniCfg, resCfg)

	cases := []struct {
		name string
		bad  func(r *rawClient)
		resp bool // run as responder
	}{
		{"short frame", func(r *rawClient) { r.write(make([]byte, saltyrtc.NonceSize)) }, false},
		{"text message", func(r *rawClient) { _ = r.ws.WriteMessage(websocket.TextMessage, []byte("hi")) }, false},
		{"wrong source", func(r *rawClient) { r.send(5, saltyrtc.DropResponder{ID: 2}) }, false},
		{"replayed CSN", func(r *rawClient) {
			f := r.send(r.addr, saltyrtc.DropResponder{ID: 2})
			r.write(f)
		}, false},
		{"CSN skipped", func(r *rawClient) {
			_, _ = r.out.Next(r.addr, 0)
			r.send(r.addr, saltyrtc.DropResponder{ID: 2})
		}, false},
		{"wrong cookie", func(r *rawClient) {
			n, _ := r.out.Next(r.addr, 0)
			n.Cookie[0] ^= 0xff
			r.write(r.sealed(n, saltyrtc.DropResponder{ID: 2}))
		}, false},
		{"bad box", func(r *rawClient) {
			n, _ := r.out.Next(r.addr, 0)
			r.write(saltyrtc.AppendFrame(nil, n, bytes.Repeat([]byte{7}, 40)))
		}, false},
		{"malformed msgpack", func(r *rawClient) {
			n, _ := r.out.Next(r.addr, 0)
			nb := n.Bytes()
			r.write(r.shared.Seal(nb[:], []byte{0x81, 0xa4, 't'}, &nb))
		}, false},
		{"unknown type", func(r *rawClient) {
			n, _ := r.out.Next(r.addr, 0)
			nb := n.Bytes()
			r.write(r.shared.Seal(nb[:], []byte{0x81, 0xa4, 't', 'y', 'p', 'e', 0xa3, 'f', 'o', 'o'}, &nb))
		}, false},
		{"drop-responder with invalid reason", func(r *rawClient) {
			r.send(r.addr, saltyrtc.DropResponder{ID: 2, Reason: saltyrtc.CloseNoSharedTask})
		}, false},
		{"initiator to itself", func(r *rawClient) {
			r.write(saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Source: 1, Destination: 1}, []byte("x")))
		}, false},
		{"responder to responder", func(r *rawClient) {
			r.write(saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Source: r.addr, Destination: 3}, []byte("x")))
		}, true},
		{"responder sends drop-responder", func(r *rawClient) { r.send(r.addr, saltyrtc.DropResponder{ID: 2}) }, true},
	}
	for _, c := range cases {
		var r *rawClient
		if c.resp {
			r = mustRaw(t, s, genKey(t), rawOpts{responderOf: genKey(t).Public})
		} else {
			r = mustRaw(t, s, genKey(t), rawOpts{})
		}
		c.bad(r)
		if got := closeCode(t, r.ws); got != int(saltyrtc.CloseProtocolError) {
			t.Errorf("%s: closed with %d, want 3001", c.name, got)
		}
	}
	exchange(t, a, b)
}

func TestHandshakeProtocolErrors3001(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true })
	key := genKey(t)
	cases := []struct {
		name string
		send func(ws *websocket.Conn, hello saltyrtc.Nonce, sessionKey cryptobox.PublicKey)
	}{
		{"garbage first message", func(ws *websocket.Conn, _ saltyrtc.Nonce, _ cryptobox.PublicKey) {
			_ = ws.WriteMessage(websocket.BinaryMessage, bytes.Repeat([]byte{1}, 60))
		}},
		{"first message declaring a 4 GiB bin", func(ws *websocket.Conn, _ saltyrtc.Nonce, _ cryptobox.PublicKey) {
			_ = ws.WriteMessage(websocket.BinaryMessage, saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Cookie: saltyrtc.Cookie{1}}, []byte{0xc6, 0xff, 0xff, 0xff, 0xff, 0}))
		}},
		{"client-hello from a nonzero source", func(ws *websocket.Conn, _ saltyrtc.Nonce, _ cryptobox.PublicKey) {
			b, _ := saltyrtc.Encode(saltyrtc.ClientHello{Key: key.Public})
			_ = ws.WriteMessage(websocket.BinaryMessage, saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Source: 2}, b))
		}},
		{"first CSN with overflow", func(ws *websocket.Conn, _ saltyrtc.Nonce, _ cryptobox.PublicKey) {
			b, _ := saltyrtc.Encode(saltyrtc.ClientHello{Key: key.Public})
			_ = ws.WriteMessage(websocket.BinaryMessage, saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Overflow: 1}, b))
		}},
		{"server's own cookie", func(ws *websocket.Conn, hello saltyrtc.Nonce, _ cryptobox.PublicKey) {
			b, _ := saltyrtc.Encode(saltyrtc.ClientHello{Key: key.Public})
			_ = ws.WriteMessage(websocket.BinaryMessage, saltyrtc.AppendFrame(nil, saltyrtc.Nonce{Cookie: hello.Cookie}, b))
		}},
		{"client-auth with a wrong your_cookie", func(ws *websocket.Conn, _ saltyrtc.Nonce, sk cryptobox.PublicKey) {
			n := saltyrtc.Nonce{Cookie: saltyrtc.Cookie{1}}
			b, _ := saltyrtc.Encode(saltyrtc.ClientAuth{Subprotocols: []string{saltyrtc.Subprotocol}})
			nb := n.Bytes()
			_ = ws.WriteMessage(websocket.BinaryMessage, cryptobox.Seal(nb[:], b, &nb, sk, key.Secret))
		}},
		{"client-auth without the subprotocol", func(ws *websocket.Conn, hello saltyrtc.Nonce, sk cryptobox.PublicKey) {
			n := saltyrtc.Nonce{Cookie: saltyrtc.Cookie{1}}
			b, _ := saltyrtc.Encode(saltyrtc.ClientAuth{YourCookie: hello.Cookie, Subprotocols: []string{"x"}})
			nb := n.Bytes()
			_ = ws.WriteMessage(websocket.BinaryMessage, cryptobox.Seal(nb[:], b, &nb, sk, key.Secret))
		}},
	}
	for _, c := range cases {
		ws, _, err := rawConnect(t, s, key.Public)
		if err != nil {
			t.Fatal(err)
		}
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		n, data, _ := saltyrtc.ParseFrame(b)
		m, _ := saltyrtc.Decode(data)
		c.send(ws, n, m.(saltyrtc.ServerHello).Key)
		if got := closeCode(t, ws); got != int(saltyrtc.CloseProtocolError) {
			t.Errorf("%s: closed with %d, want 3001", c.name, got)
		}
	}
}

func TestTrustedKeyReconnect(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	ini, res := peerConfigs(t, s)
	a, b := dialPair(t, ini, res)
	exchange(t, a, b)
	_ = a.Close(saltyrtc.CloseNormal)
	_ = b.Close(saltyrtc.CloseNormal)
	// Next time: no token, each side trusts the stored key.
	ini.AuthToken, res.AuthToken = nil, nil
	ini.TrustedPeerKey, res.TrustedPeerKey = a.PeerKey(), b.PeerKey()
	ini.Tasks, res.Tasks = nil, nil
	a2, b2 := dialPair(t, ini, res)
	exchange(t, a2, b2)
}

func TestWrongTokenThenRetry(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	ini, res := peerConfigs(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	type dialed struct {
		s   *rtclink.Session
		err error
	}
	ic := make(chan dialed, 1)
	go func() { sess, err := rtclink.Dial(ctx, ini); ic <- dialed{sess, err} }()
	time.Sleep(100 * time.Millisecond)

	bad := res
	wrong, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	bad.AuthToken, bad.PermanentKey = &wrong, genKey(t)
	_, err := rtclink.Dial(ctx, bad)
	if !errors.Is(err, saltyrtc.ErrInitiatorCouldNotDecrypt) {
		t.Fatalf("wrong token: %v, want 3005", err)
	}
	failed := time.Now()
	b, err := rtclink.Dial(ctx, res)
	if err != nil {
		t.Fatalf("good responder: %v", err)
	}
	defer func() { _ = b.Close(saltyrtc.CloseNormal) }()
	if d := time.Since(failed); d < saltyrtc.RetryDelay-50*time.Millisecond {
		t.Fatalf("initiator answered after %v, want ≥ %v", d, saltyrtc.RetryDelay)
	}
	d := <-ic
	if d.err != nil {
		t.Fatalf("initiator: %v", d.err)
	}
	defer func() { _ = d.s.Close(saltyrtc.CloseNormal) }()
	exchange(t, d.s, b)
}

// otherTask is a task only one side offers.
type otherTask struct{ rtclink.RelayedDataTask }

func (otherTask) Name() string { return "v1.other.tasks.example.org" }

func TestNoSharedTask3006(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	ini, res := peerConfigs(t, s)
	ini.Tasks = []rtclink.Task{&otherTask{}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ic := make(chan error, 1)
	go func() {
		sess, err := rtclink.Dial(ctx, ini)
		if err == nil {
			_ = sess.Close(saltyrtc.CloseNormal)
		}
		ic <- err
	}()
	time.Sleep(100 * time.Millisecond)
	_, err := rtclink.Dial(ctx, res)
	if !errors.Is(err, saltyrtc.ErrNoSharedTask) {
		t.Fatalf("responder: %v, want no shared task (3006)", err)
	}
	if err := <-ic; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("initiator: %v, want it still waiting for a responder", err)
	}
}
