package saltyrtc

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// hub is a minimal in-memory SaltyRTC server for pure state machine tests:
// frames are pumped synchronously and time is the hub's clock.
type hub struct {
	t         *testing.T
	key       cryptobox.KeyPair
	now       time.Time
	eps       []*endpoint
	corrupt   func(from, to *endpoint, f []byte) []byte // optional man in the middle on relayed frames
	signWrong bool                                      // sign with a different key
}

// endpoint is one client connection as the hub sees it.
type endpoint struct {
	c      *Client
	addr   Address
	perm   cryptobox.PublicKey
	sess   cryptobox.KeyPair
	shared cryptobox.SharedKey
	out    OutgoingCSN
	in     CSNTracker
	queue  [][]byte
	events []Event
	err    error     // the client's fatal error
	closed CloseCode // how the connection ended (0 = open)
	wakeup time.Time
}

func newHub(t *testing.T) *hub {
	return &hub{t: t, key: mustKey(t), now: time.Unix(1_700_000_000, 0)}
}

func mustKey(t testing.TB) cryptobox.KeyPair {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func (h *hub) connect(cfg ClientConfig) *endpoint {
	h.t.Helper()
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.ServerKey.IsZero() {
		cfg.ServerKey = h.key.Public
	}
	c, err := NewClient(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	ep := &endpoint{c: c, sess: mustKey(h.t)}
	ep.out, _ = NewOutgoingCSN(rand.Reader, Cookie{})
	if cfg.Role == RoleInitiator {
		ep.perm = cfg.PermanentKey.Public
	}
	b, _ := Encode(ServerHello{Key: ep.sess.Public})
	n, _ := ep.out.Next(0, 0)
	ep.queue = append(ep.queue, AppendFrame(nil, n, b))
	h.eps = append(h.eps, ep)
	return ep
}

// run pumps frames until nothing is queued.
func (h *hub) run() {
	for progress := true; progress; {
		progress = false
		for _, ep := range h.eps {
			if ep.closed != 0 || len(ep.queue) == 0 {
				continue
			}
			f := ep.queue[0]
			ep.queue = ep.queue[1:]
			progress = true
			out, err := ep.c.Handle(h.now, f)
			h.apply(ep, out, err)
		}
	}
}

// advance moves the clock and runs due Ticks.
func (h *hub) advance(d time.Duration) {
	h.now = h.now.Add(d)
	for _, ep := range h.eps {
		if ep.closed == 0 && !ep.wakeup.IsZero() && !h.now.Before(ep.wakeup) {
			ep.wakeup = time.Time{}
			out, err := ep.c.Tick(h.now)
			h.apply(ep, out, err)
		}
	}
	h.run()
}

func (h *hub) apply(ep *endpoint, out Output, err error) {
	ep.events = append(ep.events, out.Events...)
	if !out.Wakeup.IsZero() {
		ep.wakeup = out.Wakeup
	}
	for _, f := range out.Frames {
		h.fromClient(ep, f)
	}
	switch {
	case err != nil:
		ep.err = err
		h.disconnect(ep, ErrorToCloseCode(err))
	case out.Close != 0:
		h.disconnect(ep, out.Close)
	}
}

func (h *hub) disconnect(ep *endpoint, code CloseCode) {
	if ep.closed != 0 {
		return
	}
	ep.closed = code
	for _, o := range h.eps {
		if o.closed == 0 && o.addr != 0 && ep.addr != 0 && (o.addr == AddrInitiator) != (ep.addr == AddrInitiator) {
			h.serverMsg(o, Disconnected{ID: ep.addr})
		}
	}
}

func (h *hub) serverMsg(ep *endpoint, m Message) {
	b, _ := Encode(m)
	n, _ := ep.out.Next(0, ep.addr)
	nb := n.Bytes()
	ep.queue = append(ep.queue, ep.shared.Seal(nb[:], b, &nb))
}

func (h *hub) find(a Address) *endpoint {
	for _, ep := range h.eps {
		if ep.closed == 0 && ep.addr == a {
			return ep
		}
	}
	return nil
}

func (h *hub) fromClient(ep *endpoint, f []byte) {
	h.t.Helper()
	n, data, err := ParseFrame(f)
	if err != nil {
		h.t.Fatalf("client sent a bad frame: %v", err)
	}
	if ep.addr == 0 {
		if err := ep.in.Check(n, ep.out.Cookie()); err != nil {
			h.t.Fatalf("client CSN: %v", err)
		}
		if m, err := Decode(data); err == nil {
			ep.perm = m.(ClientHello).Key
			return
		}
		ep.shared = cryptobox.Precompute(ep.perm, ep.sess.Secret)
		nb := n.Bytes()
		plain, err := ep.shared.Open(nil, data, &nb)
		if err != nil {
			h.t.Fatalf("client-auth: %v", err)
		}
		m, err := Decode(plain)
		if err != nil {
			h.t.Fatal(err)
		}
		ca := m.(ClientAuth)
		if !ca.YourCookie.Equal(ep.out.Cookie()) || ca.YourKey == nil || !ca.YourKey.Equal(h.key.Public) {
			h.t.Fatal("client-auth: wrong cookie or your_key")
		}
		h.auth(ep)
		return
	}
	if n.Destination == AddrServer {
		if err := ep.in.Check(n, ep.out.Cookie()); err != nil {
			h.t.Fatalf("client CSN: %v", err)
		}
		nb := n.Bytes()
		plain, _ := ep.shared.Open(nil, data, &nb)
		m, err := Decode(plain)
		if err != nil {
			h.t.Fatal(err)
		}
		dr := m.(DropResponder)
		if r := h.find(dr.ID); r != nil {
			r.closed = dr.Reason
		}
		return
	}
	dst := h.find(n.Destination)
	if dst == nil {
		var se SendError
		copy(se.ID[:], f[16:24])
		h.serverMsg(ep, se)
		return
	}
	if h.corrupt != nil {
		f = h.corrupt(ep, dst, f)
	}
	dst.queue = append(dst.queue, f)
}

func (h *hub) auth(ep *endpoint) {
	var sa ServerAuth
	if ep.c.Role() == RoleInitiator {
		ep.addr = AddrInitiator
		sa.Responders = []Address{}
		for _, o := range h.eps {
			if o.closed == 0 && o.addr.IsResponder() {
				sa.Responders = append(sa.Responders, o.addr)
			}
		}
	} else {
		for a := AddrFirstResponder; ; a++ {
			if h.find(a) == nil {
				ep.addr = a
				break
			}
		}
		ini := h.find(AddrInitiator)
		connected := ini != nil
		sa.InitiatorConnected = &connected
		if ini != nil {
			h.serverMsg(ini, NewResponder{ID: ep.addr})
		}
	}
	n, _ := ep.out.Next(0, ep.addr)
	nb := n.Bytes()
	signer := h.key
	if h.signWrong {
		signer = mustKey(h.t)
	}
	sk := cryptobox.Precompute(ep.perm, signer.Secret)
	sa.YourCookie = ep.in.Cookie()
	sa.SignedKeys = sk.Seal(nil, append(append([]byte{}, ep.sess.Public[:]...), ep.perm[:]...), &nb)
	b, _ := Encode(sa)
	ep.queue = append(ep.queue, ep.shared.Seal(nb[:], b, &nb))
	if ep.c.Role() == RoleInitiator {
		for _, o := range h.eps {
			if o.closed == 0 && o.addr.IsResponder() {
				h.serverMsg(o, NewInitiator{})
			}
		}
	}
}

// eventOf returns the first event of type E an endpoint saw.
func eventOf[E Event](ep *endpoint) (E, bool) {
	for _, ev := range ep.events {
		if e, ok := ev.(E); ok {
			return e, true
		}
	}
	var zero E
	return zero, false
}
