package saltyrtc

import (
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

const testTask = "v0.relayed-data.tasks.saltyrtc.org"

func tasks(names ...string) []TaskSpec {
	ts := make([]TaskSpec, 0, len(names))
	for _, n := range names {
		ts = append(ts, TaskSpec{Name: n, Data: map[string]any{"n": n}, MessageTypes: []string{"data"}})
	}
	return ts
}

type pairKeys struct {
	ini, res cryptobox.KeyPair
	token    cryptobox.SymmetricKey
}

func newPairKeys(t *testing.T) pairKeys {
	tok, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	return pairKeys{ini: mustKey(t), res: mustKey(t), token: tok}
}

func (k pairKeys) initiator() ClientConfig {
	return ClientConfig{Role: RoleInitiator, PermanentKey: k.ini, AuthToken: &k.token, Tasks: tasks(testTask)}
}

func (k pairKeys) responder() ClientConfig {
	return ClientConfig{Role: RoleResponder, PermanentKey: k.res, InitiatorKey: k.ini.Public, AuthToken: &k.token, Tasks: tasks(testTask)}
}

func mustAuthenticated(t *testing.T, eps ...*endpoint) {
	t.Helper()
	for _, ep := range eps {
		if ep.err != nil || !ep.c.PeerAuthenticated() {
			t.Fatalf("%s not authenticated: err %v, closed %d, events %#v", ep.c.Role(), ep.err, ep.closed, ep.events)
		}
	}
}

func TestClientHandshakeBothOrders(t *testing.T) {
	t.Parallel()
	for _, initiatorFirst := range []bool{true, false} {
		h, k := newHub(t), newPairKeys(t)
		var ini, res *endpoint
		if initiatorFirst {
			ini = h.connect(k.initiator())
			h.run()
			res = h.connect(k.responder())
		} else {
			res = h.connect(k.responder())
			h.run()
			ini = h.connect(k.initiator())
		}
		h.run()
		mustAuthenticated(t, ini, res)
		ea, _ := eventOf[EventPeerAuthenticated](ini)
		eb, _ := eventOf[EventPeerAuthenticated](res)
		if !ea.PeerKey.Equal(k.res.Public) || !eb.PeerKey.Equal(k.ini.Public) || ea.Task != testTask || eb.Task != testTask {
			t.Fatalf("events %+v %+v", ea, eb)
		}
		if ea.TaskData["n"] != testTask {
			t.Fatalf("task data not passed through: %#v", ea.TaskData)
		}
		// The session state a task needs matches on both sides.
		pa, err := ini.c.PeerSession()
		if err != nil {
			t.Fatal(err)
		}
		pb, _ := res.c.PeerSession()
		if pa.Shared != pb.Shared || pa.OurCookie != pb.PeerCookie || pb.OurCookie != pa.PeerCookie ||
			!pa.PeerSessionKey.Equal(pb.SessionKey.Public) || pa.NextOutgoingCSN != pb.LastIncomingCSN+1 {
			t.Fatal("peer sessions do not match")
		}
	}
}

func TestClientApplicationTaskAndClose(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ini, res := h.connect(k.initiator()), h.connect(k.responder())
	h.run()
	mustAuthenticated(t, ini, res)
	f, err := ini.c.SendApplication("hi")
	if err != nil {
		t.Fatal(err)
	}
	h.fromClient(ini, f)
	f, err = res.c.SendTaskMessage(TaskMessage{Type: "data", Fields: map[string]any{"p": []byte{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	h.fromClient(res, f)
	if _, err := res.c.SendTaskMessage(TaskMessage{Type: "offer"}); !errors.Is(err, ErrState) {
		t.Fatalf("foreign task type: %v", err)
	}
	h.run()
	if e, ok := eventOf[EventApplication](res); !ok || e.Data != "hi" {
		t.Fatalf("application: %#v", res.events)
	}
	if e, ok := eventOf[EventTaskMessage](ini); !ok || string(e.Message.Fields["p"].([]byte)) != "\x01\x02" {
		t.Fatalf("task message: %#v", ini.events)
	}
	f, _ = ini.c.SendClose(CloseNormal)
	h.fromClient(ini, f)
	h.run()
	if e, ok := eventOf[EventPeerClosed](res); !ok || e.Reason != CloseNormal || res.closed != CloseGoingAway {
		t.Fatalf("close: %#v, closed %d", res.events, res.closed)
	}
}

func TestClientTrustedMode(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ic, rc := k.initiator(), k.responder()
	ic.AuthToken, ic.TrustedPeerKey = nil, k.res.Public
	rc.AuthToken, rc.TrustedPeerKey = nil, k.ini.Public
	var tokens int
	h.corrupt = func(from, _ *endpoint, f []byte) []byte {
		if from.addr.IsResponder() {
			tokens++
		}
		return f
	}
	ini, res := h.connect(ic), h.connect(rc)
	h.run()
	mustAuthenticated(t, ini, res)
	if tokens != 2 { // key and auth only: no token (§1.6)
		t.Fatalf("responder sent %d frames to the initiator, want 2", tokens)
	}
}

func TestClientTrustDisagreement3005(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ic := k.initiator()
	ic.AuthToken, ic.TrustedPeerKey = nil, mustKey(t).Public // trusts someone else
	ini, res := h.connect(ic), h.connect(k.responder())
	h.run()
	if res.closed != CloseInitiatorCouldNotDecrypt || ini.closed != 0 {
		t.Fatalf("responder closed %d, initiator %d", res.closed, ini.closed)
	}
}

func TestClientWrongTokenDropAndRetryDelay(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ini := h.connect(k.initiator())
	bad := k.responder()
	wrong, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	bad.AuthToken, bad.PermanentKey = &wrong, mustKey(t)
	r1 := h.connect(bad)
	h.run()
	if r1.closed != CloseInitiatorCouldNotDecrypt {
		t.Fatalf("wrong token: closed %d", r1.closed)
	}
	if e, ok := eventOf[EventResponderDropped](ini); !ok || e.Reason != CloseInitiatorCouldNotDecrypt {
		t.Fatalf("initiator events %#v", ini.events)
	}
	// The next attempt waits RetryDelay (§1.6).
	r2 := h.connect(k.responder())
	h.run()
	if ini.c.PeerAuthenticated() || ini.wakeup.IsZero() {
		t.Fatal("initiator answered within the retry delay")
	}
	h.advance(RetryDelay / 2)
	if ini.c.PeerAuthenticated() {
		t.Fatal("initiator answered after half the retry delay")
	}
	h.advance(RetryDelay / 2)
	mustAuthenticated(t, ini, r2)
}

func TestClientDropsOthersAfterAuth(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ini := h.connect(k.initiator())
	idle := h.connect(ClientConfig{Role: RoleResponder, PermanentKey: mustKey(t), InitiatorKey: k.ini.Public,
		TrustedPeerKey: k.ini.Public, Tasks: tasks(testTask)}) // its key cannot open: dropped 3005
	res := h.connect(k.responder())
	h.run()
	h.advance(RetryDelay) // the failed idle responder started the retry delay
	mustAuthenticated(t, ini, res)
	if idle.closed == 0 {
		t.Fatal("other responder kept")
	}
	late := h.connect(k.responder())
	h.run()
	if late.closed != CloseDroppedByInitiator {
		t.Fatalf("late responder closed %d, want 3004", late.closed)
	}
}

func TestClientNoSharedTask(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ic := k.initiator()
	ic.Tasks = tasks("v1.webrtc.tasks.saltyrtc.org")
	ini, res := h.connect(ic), h.connect(k.responder())
	h.run()
	if !errors.Is(res.err, ErrNoSharedTask) || ErrorToCloseCode(res.err) != CloseNoSharedTask {
		t.Fatalf("responder: %v", res.err)
	}
	if ini.closed != 0 || ini.c.PeerAuthenticated() {
		t.Fatal("initiator should stay, unauthenticated")
	}
}

func TestClientTaskPreferenceIsInitiators(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ic, rc := k.initiator(), k.responder()
	ic.Tasks = tasks("b", "a")
	rc.Tasks = tasks("a", "b")
	ini, res := h.connect(ic), h.connect(rc)
	h.run()
	mustAuthenticated(t, ini, res)
	if e, _ := eventOf[EventPeerAuthenticated](res); e.Task != "b" {
		t.Fatalf("chose %q, want the initiator's first", e.Task)
	}
}

func TestClientSignedKeys(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	h.signWrong = true
	ini := h.connect(k.initiator())
	h.run()
	if !errors.Is(ini.err, ErrSignedKeys) || ini.closed != CloseInvalidKey {
		t.Fatalf("wrong signer: %v, closed %d", ini.err, ini.closed)
	}
}

func TestClientServerSessionKeyMustDiffer(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ini := h.connect(k.initiator())
	ini.sess = h.key // the server reuses its permanent key as session key
	ini.queue = nil
	b, _ := Encode(ServerHello{Key: h.key.Public})
	n, _ := ini.out.Next(0, 0)
	ini.queue = append(ini.queue, AppendFrame(nil, n, b))
	h.run()
	if !errors.Is(ini.err, ErrInvalidKey) {
		t.Fatalf("got %v", ini.err)
	}
}

func TestClientPeerReplayAndCookie(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		corrupt func(f []byte, last []byte) []byte
	}{
		{"replayed", func(f, last []byte) []byte {
			if last != nil {
				return last
			}
			return f
		}},
		{"cookie changed", func(f, last []byte) []byte {
			if last != nil {
				f = append([]byte(nil), f...)
				f[0] ^= 1
			}
			return f
		}},
	} {
		h, k := newHub(t), newPairKeys(t)
		var last []byte
		h.corrupt = func(from, _ *endpoint, f []byte) []byte {
			if from.addr != AddrInitiator {
				return f
			}
			out := c.corrupt(f, last)
			last = f
			return out
		}
		h.connect(k.initiator())
		res := h.connect(k.responder())
		h.run()
		if res.closed != CloseProtocolError || !(errors.Is(res.err, ErrCSN) || errors.Is(res.err, ErrCookie)) {
			t.Errorf("%s: responder closed %d, err %v", c.name, res.closed, res.err)
		}
	}
}

func TestClientResponderReplayDropped3001(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	var first []byte
	h.corrupt = func(from, _ *endpoint, f []byte) []byte {
		if from.addr.IsResponder() {
			if first == nil {
				first = f
			} else {
				return first // replay the token instead of the key
			}
		}
		return f
	}
	ini, res := h.connect(k.initiator()), h.connect(k.responder())
	h.run()
	if res.closed != CloseProtocolError || ini.closed != 0 {
		t.Fatalf("responder closed %d, initiator %d", res.closed, ini.closed)
	}
}

func TestClientNewInitiatorRestarts(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ini, res := h.connect(k.initiator()), h.connect(k.responder())
	h.run()
	mustAuthenticated(t, ini, res)
	h.disconnect(ini, CloseGoingAway)
	h.run()
	if _, ok := eventOf[EventDisconnected](res); !ok {
		t.Fatalf("responder events %#v", res.events)
	}
	tok2, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	ic := k.initiator()
	ic.AuthToken = &tok2
	ini2 := h.connect(ic)
	h.run()
	if _, ok := eventOf[EventNewInitiator](res); !ok {
		t.Fatal("no new-initiator event")
	}
	// The responder restarted with its old token, which the new initiator does not know.
	if res.closed != CloseInitiatorCouldNotDecrypt || ini2.closed != 0 {
		t.Fatalf("responder closed %d", res.closed)
	}
}

func TestClientSendErrorEvent(t *testing.T) {
	t.Parallel()
	h, k := newHub(t), newPairKeys(t)
	ini, res := h.connect(k.initiator()), h.connect(k.responder())
	h.run()
	mustAuthenticated(t, ini, res)
	res.closed = CloseGoingAway // gone without a disconnected yet
	f, _ := ini.c.SendApplication(1)
	h.fromClient(ini, f)
	h.run()
	if e, ok := eventOf[EventSendError](ini); !ok || !e.Peer || Address(e.ID[1]) != res.addr {
		t.Fatalf("events %#v", ini.events)
	}
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	t.Parallel()
	k := newPairKeys(t)
	for name, cfg := range map[string]ClientConfig{
		"no rand":              {Role: RoleInitiator, PermanentKey: k.ini, AuthToken: &k.token, Tasks: tasks("a")},
		"no task":              {Role: RoleInitiator, PermanentKey: k.ini, AuthToken: &k.token, Rand: rand.Reader},
		"no role":              {PermanentKey: k.ini, AuthToken: &k.token, Tasks: tasks("a"), Rand: rand.Reader},
		"initiator, no token":  {Role: RoleInitiator, PermanentKey: k.ini, Tasks: tasks("a"), Rand: rand.Reader},
		"responder, no key":    {Role: RoleResponder, PermanentKey: k.res, AuthToken: &k.token, Tasks: tasks("a"), Rand: rand.Reader},
		"responder, bad trust": {Role: RoleResponder, PermanentKey: k.res, InitiatorKey: k.ini.Public, TrustedPeerKey: k.res.Public, Tasks: tasks("a"), Rand: rand.Reader},
	} {
		if _, err := NewClient(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestClientStateErrors(t *testing.T) {
	t.Parallel()
	k := newPairKeys(t)
	cfg := k.initiator()
	cfg.Rand = rand.Reader
	c, _ := NewClient(cfg)
	if _, err := c.SendApplication(1); !errors.Is(err, ErrState) {
		t.Fatalf("before auth: %v", err)
	}
	if _, err := c.PeerSession(); !errors.Is(err, ErrState) {
		t.Fatalf("PeerSession: %v", err)
	}
	if _, err := c.Handle(time.Now(), make([]byte, 24)); !errors.Is(err, ErrShortFrame) {
		t.Fatalf("short: %v", err)
	}
	if _, err := c.Handle(time.Now(), make([]byte, 30)); !errors.Is(err, ErrClosed) {
		t.Fatalf("after a fatal error: %v", err)
	}
}
