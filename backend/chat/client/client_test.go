package client_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat"
	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/backend/directory"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

const testTimeout = 20 * time.Second

// backend is a real directory and chat server on loopback.
type backend struct {
	chat *chat.Server
	key  cryptobox.KeyPair
	dirc *dirclient.Client
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	challenge, _ := cryptobox.GenerateKeyPair(rand.Reader)
	dir, err := directory.New(directory.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), ChallengeKey: challenge,
		GeneralLimit: directory.RateLimit{PerSecond: 1e6, Burst: 1e6}, LookupLimit: directory.RateLimit{PerSecond: 1e6, Burst: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, dir.Run)
	key, _ := cryptobox.GenerateKeyPair(rand.Reader)
	srv, err := chat.New(chat.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Key: key, Directory: dir})
	if err != nil {
		t.Fatal(err)
	}
	run(t, srv.Run)
	dirc, err := dirclient.New(dir.URL())
	if err != nil {
		t.Fatal(err)
	}
	return &backend{chat: srv, key: key, dirc: dirc}
}

// run runs a server until the end of the test.
func run(t *testing.T, f func(context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// config registers a new identity and returns a client Config for it.
func (b *backend) config(t *testing.T, addr string) client.Config {
	t.Helper()
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	id, err := b.dirc.Create(ctx, kp)
	if err != nil {
		t.Fatal(err)
	}
	if addr == "" {
		addr = b.chat.Addr().String()
	}
	return client.Config{Addr: addr, ServerKey: b.key.Public, Identity: id, Key: kp,
		ReconnectMin: 20 * time.Millisecond, ReconnectMax: 50 * time.Millisecond}
}

func dial(t *testing.T, cfg client.Config) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, err := client.Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func message(from, to csp.ID, mid uint64) csp.Envelope {
	return csp.Envelope{Sender: from, Receiver: to, MessageID: mid, Box: make([]byte, 32)}
}

// roundTrip sends one message from a to b and acks it.
func roundTrip(t *testing.T, a, b *client.Client, mid uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := a.Send(ctx, message(a.Identity(), b.Identity(), mid)); err != nil {
		t.Fatalf("send: %v", err)
	}
	select {
	case env := <-b.Incoming():
		if env.MessageID != mid {
			t.Fatalf("got %d, want %d", env.MessageID, mid)
		}
		if err := b.Ack(ctx, env.Sender, env.MessageID); err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("not delivered")
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	valid := client.Config{Addr: "127.0.0.1:1", ServerKey: kp.Public, Identity: "ECHOECHO", Key: kp}
	for name, mutate := range map[string]func(*client.Config){
		"identity":     func(c *client.Config) { c.Identity = "echo" },
		"address":      func(c *client.Config) { c.Addr = "" },
		"server key":   func(c *client.Config) { c.ServerKey = cryptobox.PublicKey{} },
		"key":          func(c *client.Config) { c.Key = cryptobox.KeyPair{} },
		"idle timeout": func(c *client.Config) { c.IdleTimeout = time.Second },
	} {
		cfg := valid
		mutate(&cfg)
		if _, err := client.Dial(context.Background(), cfg); !errors.Is(err, client.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCloseErrorMatchesTakeover(t *testing.T) {
	t.Parallel()
	var err error = &client.CloseError{Message: csp.TakeoverMessage}
	if !errors.Is(err, client.ErrTakenOver) {
		t.Fatal("takeover not recognised")
	}
	if errors.Is(&client.CloseError{Message: "other"}, client.ErrTakenOver) {
		t.Fatal("other close-error taken for a takeover")
	}
}

func TestSendRefusesForeignSender(t *testing.T) {
	t.Parallel()
	b := newBackend(t)
	c := dial(t, b.config(t, ""))
	other := csp.ID{'O', 'T', 'H', 'E', 'R', '0', '0', '1'}
	if err := c.Send(context.Background(), message(other, other, 1)); err == nil {
		t.Fatal("sent a message with another sender")
	}
}

func TestIdleTimeoutRequestAndEcho(t *testing.T) {
	t.Parallel()
	b := newBackend(t)
	a := dial(t, b.config(t, ""))
	cfg := b.config(t, "")
	cfg.IdleTimeout = 30 * time.Second
	cfg.EchoInterval = 20 * time.Millisecond
	c := dial(t, cfg)
	time.Sleep(200 * time.Millisecond) // several echoes answered
	roundTrip(t, a, c, 1)
	roundTrip(t, c, a, 2)
}

func TestCloseFailsPendingSends(t *testing.T) {
	t.Parallel()
	b := newBackend(t)
	p := newProxy(t, b.chat.Addr().String())
	cfg := b.config(t, p.addr())
	c, err := client.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	p.setFrozen(true) // the ack never comes
	errc := make(chan error, 1)
	go func() { errc <- c.Send(context.Background(), message(c.Identity(), c.Identity(), 1)) }()
	time.Sleep(50 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, client.ErrClosed) {
			t.Fatalf("pending Send: %v", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("pending Send did not return")
	}
	if _, ok := <-c.Incoming(); ok {
		t.Fatal("Incoming still open")
	}
	if !errors.Is(c.Err(), client.ErrClosed) {
		t.Fatalf("Err %v", c.Err())
	}
	if err := c.Send(context.Background(), message(c.Identity(), c.Identity(), 2)); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("Send after Close: %v", err)
	}
	if err := c.Ack(context.Background(), c.Identity(), 1); !errors.Is(err, client.ErrNotConnected) {
		t.Fatalf("Ack after Close: %v", err)
	}
}

func TestEchoTimeoutReconnectsAndResends(t *testing.T) {
	t.Parallel()
	b := newBackend(t)
	p := newProxy(t, b.chat.Addr().String())
	cfg := b.config(t, p.addr())
	cfg.EchoInterval = 30 * time.Millisecond
	cfg.EchoTimeout = 100 * time.Millisecond
	c := dial(t, cfg)
	peer := dial(t, b.config(t, ""))
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := c.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	p.setFrozen(true)
	sent := make(chan error, 1)
	go func() { sent <- c.Send(ctx, message(c.Identity(), peer.Identity(), 7)) }()
	time.Sleep(300 * time.Millisecond) // the echo times out; reconnects fail while frozen
	p.setFrozen(false)
	if err := <-sent; err != nil {
		t.Fatalf("send across the reconnect: %v", err)
	}
	select {
	case env := <-peer.Incoming():
		if env.MessageID != 7 {
			t.Fatalf("got %d", env.MessageID)
		}
	case <-ctx.Done():
		t.Fatal("message lost across the reconnect")
	}
	if n := p.accepted.Load(); n < 2 {
		t.Fatalf("%d connections through the proxy, want a reconnect", n)
	}
	roundTrip(t, peer, c, 8)
}

// proxy forwards TCP connections to a target and can freeze them: a network
// partition without closing anything.
type proxy struct {
	ln       net.Listener
	target   string
	accepted atomic.Int64
	mu       sync.Mutex
	cond     *sync.Cond
	frozen   bool
	wg       sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.cond = sync.NewCond(&p.mu)
	var conns []net.Conn
	var cmu sync.Mutex
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			p.accepted.Add(1)
			out, err := net.Dial("tcp", target)
			if err != nil {
				_ = in.Close()
				continue
			}
			cmu.Lock()
			conns = append(conns, in, out)
			cmu.Unlock()
			p.wg.Add(2)
			go p.pipe(in, out)
			go p.pipe(out, in)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		p.setFrozen(false)
		cmu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		cmu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) setFrozen(f bool) {
	p.mu.Lock()
	p.frozen = f
	p.mu.Unlock()
	p.cond.Broadcast()
}

// pipe copies src to dst, holding data while frozen.
func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	defer func() { _ = dst.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			for p.frozen {
				p.cond.Wait()
			}
			p.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_ = src.Close()
			}
			return
		}
	}
}
