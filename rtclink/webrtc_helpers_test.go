package rtclink

import (
	"context"
	"crypto/rand"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

const (
	webrtcTestTimeout = 30 * time.Second
	appLabel          = "THREEMA"
)

// signalingServer is a real signalling server on 127.0.0.1:0 (TLS).
type signalingServer struct {
	srv    *signaling.Server
	key    cryptobox.KeyPair
	cancel context.CancelFunc
	done   chan error
}

func startSignaling(tb testing.TB) *signalingServer {
	tb.Helper()
	sk := testKey(tb)
	s, err := signaling.New(signaling.Config{Addr: "127.0.0.1:0", DataDir: tb.TempDir(), Keys: []cryptobox.KeyPair{sk}})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ss := &signalingServer{srv: s, key: sk, cancel: cancel, done: make(chan error, 1)}
	go func() { ss.done <- s.Run(ctx) }()
	return ss
}

// stop stops the server and waits for it.
func (s *signalingServer) stop() {
	s.cancel()
	<-s.done
}

// configs returns fresh initiator and responder configs (new keys, new path).
func (s *signalingServer) configs(tb testing.TB, ini, res WebRTCConfig) (Config, Config) {
	tb.Helper()
	ik, rk := testKey(tb), testKey(tb)
	tok, err := cryptobox.RandomSymmetricKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	base := Config{ServerURL: s.srv.URL(), ServerKey: s.key.Public, TLSCertificateSHA256: s.srv.CertificateSHA256()}
	a, b := base, base
	a.Role, a.PermanentKey, a.AuthToken = saltyrtc.RoleInitiator, ik, &tok
	b.Role, b.PermanentKey, b.AuthToken, b.InitiatorKey = saltyrtc.RoleResponder, rk, &tok, ik.Public
	if os.Getenv("RTCLINK_TEST_LOG") != "" {
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: levelTrace}))
		a.Logger, b.Logger = log.With("side", "ini"), log.With("side", "res")
		ini.Logger, res.Logger = a.Logger, b.Logger
	}
	a.Tasks = []Task{NewWebRTCTask(ini)}
	b.Tasks = []Task{NewWebRTCTask(res)}
	return a, b
}

func testKey(tb testing.TB) cryptobox.KeyPair {
	tb.Helper()
	k, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// peer is one side of a paired WebRTC session.
type peer struct {
	s  *Session
	t  *WebRTCTask
	ch *SecureChannel
}

// pairChannel dials both roles, then the initiator opens and the responder
// accepts the app channel.
func pairChannel(ctx context.Context, ini, res Config) (*peer, *peer, error) {
	var a, b peer
	var ea, eb error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if a.s, ea = Dial(ctx, ini); ea != nil {
			return
		}
		if a.t, ea = WebRTC(a.s); ea == nil {
			a.ch, ea = a.t.OpenChannel(ctx, appLabel)
		}
	}()
	go func() {
		defer wg.Done()
		if b.s, eb = Dial(ctx, res); eb != nil {
			return
		}
		if b.t, eb = WebRTC(b.s); eb == nil {
			b.ch, eb = b.t.AcceptChannel(ctx, appLabel)
		}
	}()
	wg.Wait()
	if ea != nil || eb != nil {
		for _, p := range []*peer{&a, &b} {
			if p.s != nil {
				_ = p.s.Close(saltyrtc.CloseNormal)
			}
		}
		if ea != nil {
			return nil, nil, ea
		}
		return nil, nil, eb
	}
	return &a, &b, nil
}

// leakCheck fails the test if goroutines started during it outlive it (a
// manual count with a grace period: the parallel session tests of this
// package are paused, not gone, while sequential tests run, so pion's
// test.CheckRoutines cannot be used here).
func leakCheck(tb testing.TB) func() {
	tb.Helper()
	before := runtime.NumGoroutine()
	return func() {
		tb.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if runtime.NumGoroutine() <= before {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var ours []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "pion/") || strings.Contains(g, "kurier/") {
				ours = append(ours, g)
			}
		}
		tb.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), strings.Join(ours, "\n\n"))
	}
}

// watchdog fails loudly instead of hanging.
func watchdog(tb testing.TB, d time.Duration) func() {
	tb.Helper()
	timer := time.AfterFunc(d, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic("test timed out:\n" + string(buf))
	})
	return func() { timer.Stop() }
}
