package webclient_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/qr"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
	"github.com/kurier/kurier/rtclink"
)

// desktop is a Go initiator: the desktop side of pairing, built from
// rtclink, protocol/qr and protocol/webclient.
type desktop struct {
	t       *testing.T
	key     cryptobox.KeyPair
	rs      *rtclink.Session
	ch      *rtclink.SecureChannel
	phone   cryptobox.PublicKey // the phone's session key, learnt at pairing
	n       int
	backlog []wc.WireMessage
	// sent and received count the messages each way on this connection
	// (the sequence numbers of connectionAck and resume); connID is its id.
	sent, received uint32
	connID         []byte
	// noAcks makes it behave like Threema Web on the WebRTC task: it never
	// sends connectionAck (§2.3a). By default it shows after connectionInfo
	// that it has acks, as Kurier's desktop does.
	noAcks bool
}

// initiatorConfig is the desktop's SaltyRTC config for the backend.
func initiatorConfig(t *testing.T, backendFile string, key cryptobox.KeyPair) (rtclink.Config, *provisioning.Signaling) {
	t.Helper()
	prov, err := provisioning.Load(backendFile)
	if err != nil {
		t.Fatal(err)
	}
	sig := prov.Signaling
	skey, err := cryptobox.ParsePublicKeyHex(sig.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return rtclink.Config{
		Role: saltyrtc.RoleInitiator, ServerURL: sig.URL, ServerKey: skey,
		TLSCertificateSHA256: sig.TLSCertificateSHA256, PermanentKey: key,
	}, sig
}

// qrFor builds the pairing code the desktop would show.
func qrFor(t *testing.T, sig *provisioning.Signaling, key cryptobox.PublicKey, tok cryptobox.SymmetricKey, permanent bool, portDelta int) string {
	t.Helper()
	u, err := url.Parse(sig.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	skey, _ := cryptobox.ParsePublicKeyHex(sig.PublicKey)
	text, err := qr.Payload{Version: qr.ProtocolVersion, Permanent: permanent, InitiatorKey: key, AuthToken: tok,
		ServerKey: skey, Host: u.Hostname(), Port: uint16(port + portDelta)}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// dial connects the desktop (cfg complete but for tasks) while phoneSide
// connects the phone, and returns both results.
func dial(ctx context.Context, t *testing.T, cfg rtclink.Config, phoneSide func() (*webclient.Session, error)) (*desktop, *webclient.Session) {
	t.Helper()
	return dialTasks(ctx, t, cfg, nil, phoneSide)
}

// dialTasks is dial offering the given tasks (nil: the WebRTC task v1).
func dialTasks(ctx context.Context, t *testing.T, cfg rtclink.Config, tasks func() []rtclink.Task, phoneSide func() (*webclient.Session, error)) (*desktop, *webclient.Session) {
	t.Helper()
	if tasks == nil {
		tasks = func() []rtclink.Task { return []rtclink.Task{rtclink.NewWebRTCTask(rtclink.WebRTCConfig{})} }
	}
	d := &desktop{t: t, key: cfg.PermanentKey}
	var (
		derr error
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		cfg.Tasks = tasks()
		if d.rs, derr = rtclink.Dial(ctx, cfg); derr != nil {
			return
		}
		var task *rtclink.WebRTCTask
		if task, derr = rtclink.WebRTC(d.rs); derr == nil {
			d.ch, derr = task.OpenChannel(ctx, "THREEMA")
		}
	}()
	sess, perr := phoneSide()
	wg.Wait()
	if d.rs != nil {
		t.Cleanup(func() { _ = d.rs.Close(saltyrtc.CloseNormal) })
		d.phone = d.rs.PeerKey()
	}
	if perr != nil || derr != nil {
		t.Fatalf("pairing: phone %v, desktop %v", perr, derr)
	}
	return d, sess
}

// newID returns a fresh 6-character request id.
func (d *desktop) newID() string {
	d.n++
	return fmt.Sprintf("rq%04d", d.n)
}

// send sends one message.
func (d *desktop) send(ctx context.Context, m wc.WireMessage) {
	d.t.Helper()
	b, err := wc.Encode(m)
	if err != nil {
		d.t.Fatal(err)
	}
	d.sendRaw(ctx, b)
}

// sendRaw sends bytes as they are.
func (d *desktop) sendRaw(ctx context.Context, b []byte) {
	d.t.Helper()
	if err := d.ch.Send(ctx, b); err != nil {
		d.t.Fatal(err)
	}
	d.sent++
}

// next returns the first message (backlog first) that matches; the others
// stay in the backlog.
func (d *desktop) next(ctx context.Context, what string, match func(wc.WireMessage) bool) wc.WireMessage {
	d.t.Helper()
	for i, m := range d.backlog {
		if match(m) {
			d.backlog = append(d.backlog[:i:i], d.backlog[i+1:]...)
			return m
		}
	}
	for {
		b, err := d.ch.Receive(ctx)
		if err != nil {
			d.t.Fatalf("waiting for %s: %v", what, err)
		}
		d.received++
		m, err := wc.Decode(b)
		if err != nil {
			d.t.Fatalf("waiting for %s: %v", what, err)
		}
		failed := m.Ack != nil && !m.Ack.Success // failure replies carry only the ack
		if _, err := wc.DecodeFromApp(m); err != nil && !failed {
			d.t.Fatalf("phone sent an invalid %s/%s: %v", m.Type, m.SubType, err)
		}
		if match(m) {
			return m
		}
		d.backlog = append(d.backlog, m)
	}
}

// request sends m with a fresh id and returns the reply acking it.
func (d *desktop) request(ctx context.Context, m wc.WireMessage) wc.WireMessage {
	d.t.Helper()
	m.ID = d.newID()
	d.send(ctx, m)
	return d.next(ctx, string(m.SubType)+" reply", func(r wc.WireMessage) bool { return r.Ack != nil && r.Ack.ID == m.ID })
}

// handshake exchanges update/connectionInfo (the phone's comes first).
func (d *desktop) handshake(ctx context.Context) {
	d.t.Helper()
	d.handshakeResume(ctx, nil)
}

// handshakeResume exchanges update/connectionInfo, the desktop's asking to
// resume when r is set, and returns the phone's.
func (d *desktop) handshakeResume(ctx context.Context, r *wc.ResumeInfo) wc.ConnectionInfo {
	d.t.Helper()
	m := d.next(ctx, "connectionInfo", func(m wc.WireMessage) bool { return true })
	ci, err := wc.DecodeConnectionInfo(m)
	if err != nil {
		d.t.Fatalf("first message from the phone: %s/%s: %v", m.Type, m.SubType, err)
	}
	shared, err := d.rs.SessionSharedKey()
	if err != nil {
		d.t.Fatal(err)
	}
	id := wc.ConnectionID(&shared)
	if !bytes.Equal(ci.ID, id[:]) {
		d.t.Fatalf("the phone's connection id %x is not the one both sides derive", ci.ID)
	}
	d.connID = id[:]
	d.send(ctx, wc.NewConnectionInfo(wc.ConnectionInfo{ID: id[:], Resume: r}))
	if !d.noAcks {
		d.request(ctx, wc.NewConnectionAckRequest())
	}
	return ci
}

func newKey(t *testing.T) cryptobox.KeyPair {
	t.Helper()
	k, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newToken(t *testing.T) cryptobox.SymmetricKey {
	t.Helper()
	k, err := cryptobox.RandomSymmetricKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// pairPermanent pairs a fresh Go desktop permanently with srv.
func pairPermanent(ctx context.Context, t *testing.T, bj string, srv *webclient.Server) (*desktop, *webclient.Session, rtclink.Config) {
	t.Helper()
	return pairLike(ctx, t, bj, srv, nil, nil)
}

// pairLike is pairPermanent offering tasks (nil: the WebRTC task v1), with
// shape applied to the desktop before its handshake (e.g. to make it behave
// like Threema Web).
func pairLike(ctx context.Context, t *testing.T, bj string, srv *webclient.Server, tasks func() []rtclink.Task, shape func(*desktop)) (*desktop, *webclient.Session, rtclink.Config) {
	t.Helper()
	key := newKey(t)
	cfg, sig := initiatorConfig(t, bj, key)
	tok := newToken(t)
	cfg.AuthToken = &tok
	text := qrFor(t, sig, key.Public, tok, true, 0)
	d, sess := dialTasks(ctx, t, cfg, tasks, func() (*webclient.Session, error) { return srv.Pair(ctx, text) })
	if shape != nil {
		shape(d)
	}
	d.handshake(ctx)
	rcfg, _ := initiatorConfig(t, bj, key)
	rcfg.TrustedPeerKey = d.phone
	return d, sess, rcfg
}

// serveDesktops returns the phone's desktop server; the test's cleanup
// closes it and checks that no session goroutine is left.
func serveDesktops(t *testing.T, p *phone.Phone, cfg webclient.Config) *webclient.Server {
	t.Helper()
	srv := webclient.New(p, cfg)
	t.Cleanup(func() {
		_ = srv.Close()
		noSessionGoroutines(t)
	})
	return srv
}
