package signaling

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

// testTimeout bounds every test's network waits.
const testTimeout = 20 * time.Second

type testServer struct {
	*Server
	key cryptobox.KeyPair
}

func genKey(t testing.TB) cryptobox.KeyPair {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func testLogger() *slog.Logger {
	if os.Getenv("KURIER_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return nil
}

// startServer runs a server on 127.0.0.1:0 until the test ends.
func startServer(t testing.TB, mutate func(*Config)) *testServer {
	t.Helper()
	key := genKey(t)
	cfg := Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Keys: []cryptobox.KeyPair{key}, Logger: testLogger()}
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return &testServer{Server: s, key: key}
}

// peerConfigs returns matching initiator and responder configurations.
func peerConfigs(t testing.TB, s *testServer) (rtclink.Config, rtclink.Config) {
	t.Helper()
	ik, rk := genKey(t), genKey(t)
	tok, err := cryptobox.RandomSymmetricKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	base := rtclink.Config{ServerURL: s.URL(), ServerKey: s.PublicKey(), TLSCertificateSHA256: s.CertificateSHA256(), Logger: testLogger()}
	ini, res := base, base
	ini.Role, ini.PermanentKey, ini.AuthToken = saltyrtc.RoleInitiator, ik, &tok
	res.Role, res.PermanentKey, res.AuthToken, res.InitiatorKey = saltyrtc.RoleResponder, rk, &tok, ik.Public
	return ini, res
}

// dialPair dials both peers concurrently and returns both sessions.
func dialPair(t testing.TB, ini, res rtclink.Config) (*rtclink.Session, *rtclink.Session) {
	t.Helper()
	a, b, errA, errB := dialBoth(t, ini, res)
	if errA != nil || errB != nil {
		t.Fatalf("dial: initiator %v, responder %v", errA, errB)
	}
	t.Cleanup(func() { _ = a.Close(saltyrtc.CloseNormal); _ = b.Close(saltyrtc.CloseNormal) })
	return a, b
}

func dialBoth(t testing.TB, ini, res rtclink.Config) (a, b *rtclink.Session, errA, errB error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a, errA = rtclink.Dial(ctx, ini) }()
	go func() { defer wg.Done(); b, errB = rtclink.Dial(ctx, res) }()
	wg.Wait()
	return a, b, errA, errB
}

// exchange sends one message each way and checks it arrives.
func exchange(t testing.TB, a, b *rtclink.Session) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	for _, dir := range []struct {
		from, to *rtclink.Session
		msg      string
	}{{a, b, "hello responder"}, {b, a, "hello initiator"}} {
		if err := dir.from.Send(ctx, []byte(dir.msg)); err != nil {
			t.Fatalf("send: %v", err)
		}
		got, err := dir.to.Receive(ctx)
		if err != nil || string(got) != dir.msg {
			t.Fatalf("receive: %q, %v", got, err)
		}
	}
}

// wantCode checks that err wraps the sentinel of close code want.
func wantCode(t testing.TB, err error, want saltyrtc.CloseCode) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want close %d", want)
	}
	if got := saltyrtc.ErrorToCloseCode(err); got != want && !errors.Is(err, saltyrtc.CloseCodeToError(want)) {
		t.Fatalf("error %v maps to close %d, want %d", err, got, want)
	}
}
