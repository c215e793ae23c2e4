package chat

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/backend/directory"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// testTimeout bounds every wait in these tests.
const testTimeout = 20 * time.Second

// clock is a settable clock for Config.Now.
type clock struct{ off atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *clock) advance(d time.Duration) { c.off.Add(int64(d)) }

// world is a real directory server and a real chat server on loopback, with
// SQLite in a temp dir.
type world struct {
	t       testing.TB
	dir     *directory.Server
	dirc    *dirclient.Client
	key     cryptobox.KeyPair
	dataDir string
	clock   *clock
	mutate  func(*Config)

	srv    *Server
	cancel context.CancelFunc
	done   chan error
}

func testLogger() *slog.Logger {
	if os.Getenv("KURIER_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// newWorld starts a directory and a chat server; mutate adjusts the chat
// server's Config.
func newWorld(t testing.TB, mutate func(*Config)) *world {
	t.Helper()
	challenge, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.New(directory.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(), ChallengeKey: challenge, Logger: testLogger(),
		GeneralLimit: directory.RateLimit{PerSecond: 1e6, Burst: 1e6},
		LookupLimit:  directory.RateLimit{PerSecond: 1e6, Burst: 1e6},
	})
	if err != nil {
		t.Fatal(err)
	}
	dctx, dcancel := context.WithCancel(context.Background())
	ddone := make(chan error, 1)
	go func() { ddone <- dir.Run(dctx) }()
	t.Cleanup(func() {
		dcancel()
		if err := <-ddone; err != nil {
			t.Errorf("directory Run: %v", err)
		}
	})
	dirc, err := dirclient.New(dir.URL())
	if err != nil {
		t.Fatal(err)
	}
	key, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, dir: dir, dirc: dirc, key: key, dataDir: t.TempDir(), clock: &clock{}, mutate: mutate}
	w.start()
	t.Cleanup(w.stop)
	return w
}

// config is the chat server's Config for this world.
func (w *world) config() Config {
	cfg := Config{
		Addr: "127.0.0.1:0", DataDir: w.dataDir, Key: w.key, Directory: w.dir,
		Logger: testLogger(), Now: w.clock.now, HandshakeTimeout: 2 * time.Second,
		// The tests of the sender bounds set their own (hostile_test.go).
		SenderRate: 1e6, SenderBurst: 1e6, SenderBytesPerSecond: 1e9, SenderBurstBytes: 1 << 30,
	}
	if w.mutate != nil {
		w.mutate(&cfg)
	}
	return cfg
}

// start creates and runs a chat server on the world's data dir.
func (w *world) start() {
	w.t.Helper()
	srv, err := New(w.config())
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	w.srv, w.cancel, w.done = srv, cancel, done
	go func() { done <- srv.Run(ctx) }()
}

// stop cancels Run and waits for it.
func (w *world) stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	select {
	case err := <-w.done:
		if err != nil {
			w.t.Errorf("chat Run: %v", err)
		}
	case <-time.After(testTimeout):
		w.t.Error("chat Run did not return")
	}
	w.cancel = nil
}

// restart stops the chat server and starts a new one on the same data dir.
func (w *world) restart() {
	w.t.Helper()
	w.stop()
	w.start()
}

// user is a registered identity.
type user struct {
	id  csp.ID
	key cryptobox.KeyPair
}

// newUser registers a new identity in the directory.
func (w *world) newUser() user {
	w.t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	s, err := w.dirc.Create(ctx, kp)
	if err != nil {
		w.t.Fatal(err)
	}
	id, err := csp.ParseID(s)
	if err != nil {
		w.t.Fatal(err)
	}
	return user{id: id, key: kp}
}

// clientConfig is a client Config for u against the current server.
func (w *world) clientConfig(u user) client.Config {
	return client.Config{
		Addr: w.srv.Addr().String(), ServerKey: w.key.Public, Identity: u.id.String(), Key: u.key,
		ReconnectMin: 20 * time.Millisecond, ReconnectMax: 100 * time.Millisecond,
		Logger: testLogger(),
	}
}

// dial connects u and closes the client at the end of the test.
func (w *world) dial(u user, mutate ...func(*client.Config)) *client.Client {
	w.t.Helper()
	cfg := w.clientConfig(u)
	for _, m := range mutate {
		m(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, err := client.Dial(ctx, cfg)
	if err != nil {
		// The servers' goroutines show what the login waited for.
		buf := make([]byte, 8<<20)
		buf = buf[:runtime.Stack(buf, true)]
		w.t.Fatalf("dial %s: %v\ngoroutines:\n%s", u.id, err, buf)
	}
	w.t.Cleanup(func() { _ = c.Close() })
	return c
}

// envelope builds a message from → to with id mid and a body naming it.
func envelope(from, to csp.ID, mid uint64, flags csp.Flags) csp.Envelope {
	box := make([]byte, 32)
	binary.LittleEndian.PutUint64(box, mid)
	return csp.Envelope{
		Sender: from, Receiver: to, MessageID: mid, CreatedAt: uint32(time.Now().Unix()), Flags: flags,
		Nonce: cryptobox.Nonce{byte(mid), byte(mid >> 8)}, Box: box,
	}
}

// send sends one message and fails the test if it is not acknowledged.
func send(t testing.TB, c *client.Client, env csp.Envelope) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := c.Send(ctx, env); err != nil {
		t.Fatalf("send %x: %v", env.MessageID, err)
	}
}

// receive waits for the next incoming message.
func receive(t testing.TB, c *client.Client) csp.Envelope {
	t.Helper()
	select {
	case env, ok := <-c.Incoming():
		if !ok {
			t.Fatalf("client stopped: %v", c.Err())
		}
		return env
	case <-time.After(testTimeout):
		t.Fatal("no message arrived")
	}
	return csp.Envelope{}
}

// receiveAck receives the next message and acks it.
func receiveAck(t testing.TB, c *client.Client) csp.Envelope {
	t.Helper()
	env := receive(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := c.Ack(ctx, env.Sender, env.MessageID); err != nil {
		t.Fatalf("ack: %v", err)
	}
	return env
}

// expectNothing checks that no message arrives within d.
func expectNothing(t testing.TB, c *client.Client, d time.Duration) {
	t.Helper()
	select {
	case env, ok := <-c.Incoming():
		if ok {
			t.Fatalf("unexpected message %x from %s", env.MessageID, env.Sender)
		}
	case <-time.After(d):
	}
}

// waitSynced waits for queue-send-complete on c's connection.
func waitSynced(t testing.TB, c *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := c.WaitSynced(ctx); err != nil {
		t.Fatalf("wait synced: %v", err)
	}
}

// eventually polls cond until it holds.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// depth is the queue depth of u.
func (w *world) depth(u user) int {
	w.t.Helper()
	n, err := w.srv.QueueDepth(context.Background(), u.id.String())
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// pinger exchanges messages between two clients in the background until
// stopped, failing the test if one is lost: proof that the server keeps
// serving others while a bad client is dealt with.
type pinger struct {
	stop   chan struct{}
	wg     sync.WaitGroup
	count  atomic.Int64
	failed atomic.Bool
	err    error // written before failed is set
}

func startPinger(t testing.TB, a, b *client.Client) *pinger {
	p := &pinger{stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for mid := uint64(1 << 40); ; mid++ {
			select {
			case <-p.stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			err := a.Send(ctx, envelope(a.Identity(), b.Identity(), mid, 0))
			if err == nil {
				select {
				case env := <-b.Incoming():
					if env.MessageID != mid {
						err = fmt.Errorf("got %x, want %x", env.MessageID, mid)
					} else {
						err = b.Ack(ctx, env.Sender, env.MessageID)
					}
				case <-ctx.Done():
					err = errors.New("message not delivered")
				}
			}
			cancel()
			if err != nil {
				p.err = err
				p.failed.Store(true)
				return
			}
			p.count.Add(1)
		}
	}()
	return p
}

// finish stops the pinger and checks that it kept exchanging.
func (p *pinger) finish(t testing.TB, min int64) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for p.count.Load() < min && !p.failed.Load() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	close(p.stop)
	p.wg.Wait()
	if p.err != nil {
		t.Fatalf("exchange between good clients failed: %v", p.err)
	}
	if p.count.Load() < min {
		t.Fatalf("only %d exchanges, want %d", p.count.Load(), min)
	}
}
