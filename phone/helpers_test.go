package phone

import (
	"github.com/kurier/kurier/backend/backendtest"

	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend"
	chatclient "github.com/kurier/kurier/backend/chat/client"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

const testTimeout = 30 * time.Second

// world is a real backend on loopback.
type world struct {
	b        *backend.Backend
	provPath string
}

func newWorld(t testing.TB) *world {
	t.Helper()
	b, path := backendtest.Start(t)
	return &world{b: b, provPath: path}
}

// logRecord is one captured log line.
type logRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// logSink captures log records for assertions.
type logSink struct {
	mu      sync.Mutex
	records []logRecord
}

type sinkHandler struct {
	s     *logSink
	attrs []slog.Attr
}

func (h sinkHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h sinkHandler) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: map[string]string{}}
	for _, a := range h.attrs {
		rec.attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool { rec.attrs[a.Key] = a.Value.String(); return true })
	h.s.mu.Lock()
	h.s.records = append(h.s.records, rec)
	h.s.mu.Unlock()
	return nil
}
func (h sinkHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return sinkHandler{s: h.s, attrs: append(append([]slog.Attr{}, h.attrs...), as...)}
}
func (h sinkHandler) WithGroup(string) slog.Handler { return h }

// rejected counts the "incoming message rejected" lines with reason.
func (s *logSink) rejected(reason string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.records {
		if r.msg == "incoming message rejected" && r.attrs["reason"] == reason {
			n++
		}
	}
	return n
}

// dump renders the captured lines from level info up, for a failed test.
func (s *logSink) dump() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ""
	for _, r := range s.records {
		if r.level >= slog.LevelInfo {
			out += fmt.Sprintf("%s %s %v\n", r.level, r.msg, r.attrs)
		}
	}
	return out
}

// contains reports whether any log line has s in its message or attributes.
func (s *logSink) contains(needle string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if strings.Contains(r.msg, needle) {
			return true
		}
		for k, v := range r.attrs {
			if strings.Contains(k, needle) || strings.Contains(v, needle) {
				return true
			}
		}
	}
	return false
}

// testPhone is a phone on a data directory, started and stopped by the test.
type testPhone struct {
	*Phone
	t      testing.TB
	w      *world
	dir    string
	logs   *logSink
	events chan Event
	cancel context.CancelFunc
	done   chan error
	unsub  func()
}

func (w *world) newPhone(t testing.TB, nickname string) *testPhone {
	t.Helper()
	tp := &testPhone{t: t, w: w, dir: t.TempDir(), logs: &logSink{}}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if _, err := Init(ctx, tp.dir, w.provPath, nickname); err != nil {
		t.Fatal(err)
	}
	tp.open()
	t.Cleanup(tp.close)
	return tp
}

func (tp *testPhone) open() {
	tp.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	p, err := Open(ctx, tp.dir, WithLogger(slog.New(sinkHandler{s: tp.logs})), WithReconnect(20*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		tp.t.Fatal(err)
	}
	tp.Phone = p
	tp.events = make(chan Event, 100000)
	tp.unsub = p.Subscribe(func(e Event) { tp.events <- e })
}

// start runs the phone and waits until its offline queue is drained.
func (tp *testPhone) start() {
	tp.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tp.cancel, tp.done = cancel, make(chan error, 1)
	go func() { tp.done <- tp.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(context.Background(), testTimeout)
	defer wcancel()
	if err := tp.WaitSynced(wctx); err != nil {
		tp.t.Fatalf("%s: not synced: %v", tp.ID(), err)
	}
}

// stop stops Run.
func (tp *testPhone) stop() {
	tp.t.Helper()
	if tp.cancel == nil {
		return
	}
	tp.cancel()
	select {
	case err := <-tp.done:
		if err != nil {
			tp.t.Errorf("%s: Run: %v", tp.ID(), err)
		}
	case <-time.After(testTimeout):
		tp.t.Errorf("%s: Run did not return", tp.ID())
	}
	tp.cancel = nil
}

// restart stops the phone, closes the database and opens it again.
func (tp *testPhone) restart(run bool) {
	tp.t.Helper()
	tp.stop()
	tp.unsub()
	if err := tp.Phone.Close(); err != nil {
		tp.t.Fatal(err)
	}
	tp.open()
	if run {
		tp.start()
	}
}

func (tp *testPhone) close() {
	if tp.t.Failed() {
		tp.t.Logf("log of %s:\n%s", tp.ID(), tp.logs.dump())
	}
	tp.stop()
	if tp.Phone != nil {
		_ = tp.Phone.Close()
	}
}

// wait returns the first event that matches, failing after the timeout.
func (tp *testPhone) wait(what string, match func(Event) bool) Event {
	tp.t.Helper()
	timer := time.NewTimer(testTimeout)
	defer timer.Stop()
	for {
		select {
		case e := <-tp.events:
			if match(e) {
				return e
			}
		case <-timer.C:
			tp.t.Fatalf("%s: no event: %s", tp.ID(), what)
			return Event{}
		}
	}
}

// waitMessage waits for an incoming message from a peer.
func (tp *testPhone) waitMessage(from string) Event {
	tp.t.Helper()
	return tp.wait("message from "+from, func(e Event) bool { return e.Kind == EventMessage && e.Peer == from })
}

// waitState waits until an own message reaches a state.
func (tp *testPhone) waitState(messageID uint64, st string) Event {
	tp.t.Helper()
	return tp.wait(fmt.Sprintf("message %x %s", messageID, st), func(e Event) bool {
		return e.Kind == EventMessageState && e.MessageID == messageID && string(e.State) == st
	})
}

// waitRejected waits for a rejection with a reason.
func (tp *testPhone) waitRejected(reason string) Event {
	tp.t.Helper()
	return tp.wait("rejected "+reason, func(e Event) bool { return e.Kind == EventRejected && e.Reason == reason })
}

func tctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// rawPeer is an identity driven by hand with protocol/e2e and a raw chat
// client: the attacker, or a fast sender for benchmarks.
type rawPeer struct {
	id csp.ID
	kp cryptobox.KeyPair
	c  *chatclient.Client
}

func (w *world) newRaw(t testing.TB) *rawPeer {
	t.Helper()
	p := w.b.Provisioning()
	dc, err := dirclient.New(p.Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	id, err := dc.Create(tctx(t), kp)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := p.ChatKey()
	c, err := chatclient.Dial(tctx(t), chatclient.Config{Addr: p.Chat.Address, ServerKey: key, Identity: id, Key: kp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	cid, _ := csp.ParseID(id)
	return &rawPeer{id: cid, kp: kp, c: c}
}

// seal seals m from r to (to, toKey) with message id mid.
func (r *rawPeer) seal(t testing.TB, to csp.ID, toKey cryptobox.PublicKey, mid uint64, m e2e.Message) csp.Envelope {
	t.Helper()
	keys, err := e2e.NewPeerKeys(r.id, r.kp.Secret, to, toKey)
	if err != nil {
		t.Fatal(err)
	}
	h := e2e.Header{Sender: r.id, Receiver: to, MessageID: mid, CreatedAt: time.Now(), Flags: e2e.SendFlags(m), Nickname: "raw"}
	s, err := e2e.Seal(rand.Reader, keys, h, m)
	if err != nil {
		t.Fatal(err)
	}
	env, err := e2e.ToEnvelope(h, s)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func (r *rawPeer) send(t testing.TB, env csp.Envelope) {
	t.Helper()
	if err := r.c.Send(tctx(t), env); err != nil {
		t.Fatal(err)
	}
}

// receive returns the next envelope the raw peer gets, acked.
func (r *rawPeer) receive(t testing.TB) csp.Envelope {
	t.Helper()
	select {
	case env := <-r.c.Incoming():
		if !env.Flags.Has(csp.FlagNoAck) {
			if err := r.c.Ack(tctx(t), env.Sender, env.MessageID); err != nil {
				t.Fatal(err)
			}
		}
		return env
	case <-time.After(testTimeout):
		t.Fatal("raw peer received nothing")
		return csp.Envelope{}
	}
}

func mustID(t testing.TB, s string) csp.ID {
	t.Helper()
	id, err := csp.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitQueueEmpty waits until the chat server holds nothing for id (its
// client acks have been processed), through the admin QA API.
func (w *world) waitQueueEmpty(t testing.TB, id string) {
	t.Helper()
	url := w.b.Provisioning().Admin.URL + "qa/identities/" + id + "/queue"
	deadline := time.Now().Add(testTimeout)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		var q struct {
			Queued int `json:"queued"`
		}
		err = json.NewDecoder(resp.Body).Decode(&q)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if q.Queued == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("queue never drained")
}
