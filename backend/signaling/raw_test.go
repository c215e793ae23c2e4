package signaling

import (
	"crypto/rand"
	"crypto/tls"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// rawClient speaks the client↔server handshake by hand, so tests control
// every cookie, sequence number and byte.
type rawClient struct {
	t       testing.TB
	ws      *websocket.Conn
	perm    cryptobox.KeyPair
	out     saltyrtc.OutgoingCSN
	shared  cryptobox.SharedKey
	in      saltyrtc.CSNTracker
	addr    saltyrtc.Address
	session cryptobox.PublicKey // server session key
	auth    saltyrtc.ServerAuth
}

func wsDialer(s *testServer, subprotocols ...string) *websocket.Dialer {
	if subprotocols == nil {
		subprotocols = []string{saltyrtc.Subprotocol}
	}
	return &websocket.Dialer{
		Subprotocols:     subprotocols,
		HandshakeTimeout: testTimeout,
		TLSClientConfig:  &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // test server's self-signed certificate
	}
}

// rawConnect opens the WebSocket to path (the initiator key) without any handshake.
func rawConnect(t testing.TB, s *testServer, path cryptobox.PublicKey, subprotocols ...string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ws, resp, err := wsDialer(s, subprotocols...).Dial(s.URL()+"/"+path.String(), nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err == nil {
		t.Cleanup(func() { _ = ws.Close() })
	}
	return ws, resp, err
}

// rawOpts are the options of rawHandshake.
type rawOpts struct {
	// responderOf makes the client a responder on that initiator's path.
	responderOf cryptobox.PublicKey
	// yourKey is sent as your_key; nil sends the server's primary key.
	yourKey *cryptobox.PublicKey
	// ping is the ping_interval in seconds.
	ping uint32
}

// rawHandshake connects as initiator or responder and completes the server handshake.
func rawHandshake(t testing.TB, s *testServer, perm cryptobox.KeyPair, o rawOpts) (*rawClient, error) {
	t.Helper()
	responderOf, yourKey := o.responderOf, o.yourKey
	path := perm.Public
	if !responderOf.IsZero() {
		path = responderOf
	}
	ws, _, err := rawConnect(t, s, path)
	if err != nil {
		return nil, err
	}
	r := &rawClient{t: t, ws: ws, perm: perm}
	if r.out, err = saltyrtc.NewOutgoingCSN(rand.Reader, saltyrtc.Cookie{}); err != nil {
		return nil, err
	}
	n, data, err := r.readFrame()
	if err != nil {
		return nil, err
	}
	msg, err := saltyrtc.Decode(data)
	if err != nil {
		return nil, err
	}
	r.session = msg.(saltyrtc.ServerHello).Key
	r.shared = cryptobox.Precompute(r.session, perm.Secret)
	if !responderOf.IsZero() {
		r.sendPlain(saltyrtc.ClientHello{Key: perm.Public})
	}
	if yourKey == nil {
		k := s.PublicKey()
		yourKey = &k
	}
	r.send(saltyrtc.AddrServer, saltyrtc.ClientAuth{YourCookie: n.Cookie, Subprotocols: []string{saltyrtc.Subprotocol}, YourKey: yourKey, PingInterval: o.ping})
	m, err := r.readServer()
	if err != nil {
		return nil, err
	}
	r.auth = m.(saltyrtc.ServerAuth)
	return r, nil
}

func (r *rawClient) readFrame() (saltyrtc.Nonce, []byte, error) {
	_ = r.ws.SetReadDeadline(time.Now().Add(testTimeout))
	_, b, err := r.ws.ReadMessage()
	if err != nil {
		return saltyrtc.Nonce{}, nil, err
	}
	n, data, err := saltyrtc.ParseFrame(b)
	if err != nil {
		return n, nil, err
	}
	if n.Source == saltyrtc.AddrServer {
		if err := r.in.Check(n, r.out.Cookie()); err != nil {
			r.t.Fatalf("server broke the CSN rules: %v", err)
		}
		if r.addr == 0 {
			r.addr = n.Destination
		}
	}
	return n, data, nil
}

// readServer reads the next server message, skipping relayed frames.
func (r *rawClient) readServer() (saltyrtc.Message, error) {
	for {
		n, data, err := r.readFrame()
		if err != nil {
			return nil, err
		}
		if n.Source != saltyrtc.AddrServer {
			continue
		}
		nb := n.Bytes()
		plain, err := r.shared.Open(nil, data, &nb)
		if err != nil {
			return nil, err
		}
		return saltyrtc.Decode(plain)
	}
}

func (r *rawClient) sendPlain(m saltyrtc.Message) {
	b, err := saltyrtc.Encode(m)
	if err != nil {
		r.t.Fatal(err)
	}
	n, _ := r.out.Next(0, 0)
	r.write(saltyrtc.AppendFrame(nil, n, b))
}

// send boxes m to the server with the next CSN.
func (r *rawClient) send(src saltyrtc.Address, m saltyrtc.Message) []byte {
	n, err := r.out.Next(src, saltyrtc.AddrServer)
	if err != nil {
		r.t.Fatal(err)
	}
	f := r.sealed(n, m)
	r.write(f)
	return f
}

func (r *rawClient) sealed(n saltyrtc.Nonce, m saltyrtc.Message) []byte {
	b, err := saltyrtc.Encode(m)
	if err != nil {
		r.t.Fatal(err)
	}
	nb := n.Bytes()
	return r.shared.Seal(nb[:], b, &nb)
}

func (r *rawClient) write(f []byte) {
	if err := r.ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// closeCode reads until the connection closes and returns the close code.
func closeCode(t testing.TB, ws *websocket.Conn) int {
	t.Helper()
	_ = ws.SetReadDeadline(time.Now().Add(testTimeout))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			t.Fatalf("connection ended without a close frame: %v", err)
		}
	}
}

func expectClose(t testing.TB, ws *websocket.Conn, want saltyrtc.CloseCode) {
	t.Helper()
	if got := closeCode(t, ws); got != int(want) {
		t.Fatalf("closed with %d, want %d", got, want)
	}
}
