package signaling

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

func mustRaw(t testing.TB, s *testServer, perm cryptobox.KeyPair, o rawOpts) *rawClient {
	t.Helper()
	r, err := rawHandshake(t, s, perm, o)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	return r
}

func TestSubprotocolRequired1002(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	ws, _, err := rawConnect(t, s, genKey(t).Public, "v0.saltyrtc.org")
	if err != nil {
		t.Fatal(err)
	}
	expectClose(t, ws, saltyrtc.CloseSubprotocolError)
}

func TestBadPathRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true })
	for _, p := range []string{"abc", "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789", "zz" + genKey(t).Public.String()[2:]} {
		_, resp, err := wsDialer(s).Dial(s.URL()+"/"+p, nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("path %q: %v, %v", p, resp, err)
		}
	}
}

func TestPathFull3000(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.MaxConnsPerIP = 400 })
	ik := genKey(t)
	ini := mustRaw(t, s, ik, rawOpts{})
	for i := range 254 {
		r := mustRaw(t, s, genKey(t), rawOpts{responderOf: ik.Public})
		if want := saltyrtc.Address(2 + i); r.addr != want {
			t.Fatalf("responder %d got address %d", i, r.addr)
		}
	}
	_, err := rawHandshake(t, s, genKey(t), rawOpts{responderOf: ik.Public})
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != int(saltyrtc.ClosePathFull) {
		t.Fatalf("255th responder: %v, want close 3000", err)
	}
	for i := range 254 { // the initiator heard of every responder, in order
		m, err := ini.readServer()
		if err != nil {
			t.Fatal(err)
		}
		if nr, ok := m.(saltyrtc.NewResponder); !ok || nr.ID != saltyrtc.Address(2+i) {
			t.Fatalf("initiator got %#v", m)
		}
	}
}

func TestMaxPaths3000(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.MaxPaths = 1 })
	a := mustRaw(t, s, genKey(t), rawOpts{})
	_, err := rawHandshake(t, s, genKey(t), rawOpts{})
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != int(saltyrtc.ClosePathFull) {
		t.Fatalf("second path: %v, want close 3000", err)
	}
	r := mustRaw(t, s, genKey(t), rawOpts{responderOf: a.perm.Public}) // the existing path still works
	if r.addr != 2 {
		t.Fatalf("responder address %d", r.addr)
	}
}

func TestYourKey(t *testing.T) {
	t.Parallel()
	fallback := genKey(t)
	s := startServer(t, func(c *Config) { c.Keys = append(c.Keys, fallback) })
	wrong := genKey(t).Public
	_, err := rawHandshake(t, s, genKey(t), rawOpts{yourKey: &wrong})
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != int(saltyrtc.CloseInvalidKey) {
		t.Fatalf("unknown your_key: %v, want close 3007", err)
	}
	// The fallback key is selected by your_key and signs the keys (§1.4).
	ini, res := peerConfigs(t, s)
	ini.ServerKey, res.ServerKey = fallback.Public, fallback.Public
	a, b := dialPair(t, ini, res)
	exchange(t, a, b)
	// A client pinning the fallback key but told the primary is refused: signed_keys check.
	ini2, _ := peerConfigs(t, s)
	ini2.ServerKey = genKey(t).Public
	_, _, errA, _ := dialBoth(t, ini2, ini2)
	wantCode(t, errA, saltyrtc.CloseInvalidKey)
}

func TestNoServerKeys3007(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.Keys = nil; c.PlainWS = true })
	k := genKey(t).Public
	_, err := rawHandshake(t, s, genKey(t), rawOpts{yourKey: &k})
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != int(saltyrtc.CloseInvalidKey) {
		t.Fatalf("your_key without server keys: %v, want close 3007", err)
	}
}

func TestHandshakeTimeout3008(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.HandshakeTimeout = 300 * time.Millisecond })
	ws, _, err := rawConnect(t, s, genKey(t).Public)
	if err != nil {
		t.Fatal(err)
	}
	expectClose(t, ws, saltyrtc.CloseTimeout)
}

func TestPingTimeout3008(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.PingTimeout = 300 * time.Millisecond })
	r := mustRaw(t, s, genKey(t), rawOpts{ping: 1})
	time.Sleep(1800 * time.Millisecond) // not reading: the client cannot answer the ping
	expectClose(t, r.ws, saltyrtc.CloseTimeout)
}

func TestPingsKeepAlive(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.PingTimeout = 500 * time.Millisecond })
	ini, res := peerConfigs(t, s)
	ini.PingInterval, res.PingInterval = time.Second, time.Second
	a, b := dialPair(t, ini, res)
	time.Sleep(2500 * time.Millisecond) // two ping rounds, answered by the readers
	exchange(t, a, b)
}

func TestMessageTooBig1009(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.MaxMessageSize = 1024 })
	r := mustRaw(t, s, genKey(t), rawOpts{})
	r.write(make([]byte, 2048))
	expectClose(t, r.ws, websocket.CloseMessageTooBig)
}

func TestConnsPerIP429(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Limits.MaxConnsPerIP = 2 })
	a := mustRaw(t, s, genKey(t), rawOpts{})
	mustRaw(t, s, genKey(t), rawOpts{responderOf: a.perm.Public})
	_, resp, err := rawConnect(t, s, a.perm.Public)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third connection: %v, %v", resp, err)
	}
	if _, err := a.readServer(); err != nil { // new-responder: the first ones still work
		t.Fatal(err)
	}
}
