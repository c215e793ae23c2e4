package rtclink_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

const testTimeout = 20 * time.Second

func key(t *testing.T) cryptobox.KeyPair {
	t.Helper()
	k, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// start runs a real signalling server (TLS) for the test.
func start(t *testing.T) (*signaling.Server, rtclink.Config, rtclink.Config) {
	t.Helper()
	sk := key(t)
	s, err := signaling.New(signaling.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Keys: []cryptobox.KeyPair{sk}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	ik, rk := key(t), key(t)
	tok, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	base := rtclink.Config{ServerURL: s.URL(), ServerKey: sk.Public, TLSCertificateSHA256: s.CertificateSHA256()}
	ini, res := base, base
	ini.Role, ini.PermanentKey, ini.AuthToken = saltyrtc.RoleInitiator, ik, &tok
	res.Role, res.PermanentKey, res.AuthToken, res.InitiatorKey = saltyrtc.RoleResponder, rk, &tok, ik.Public
	return s, ini, res
}

func dial(t *testing.T, ini, res rtclink.Config) (*rtclink.Session, *rtclink.Session) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	var a, b *rtclink.Session
	var ea, eb error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a, ea = rtclink.Dial(ctx, ini) }()
	go func() { defer wg.Done(); b, eb = rtclink.Dial(ctx, res) }()
	wg.Wait()
	if ea != nil || eb != nil {
		t.Fatalf("dial: %v, %v", ea, eb)
	}
	return a, b
}

func TestSendReceiveManyBothWays(t *testing.T) {
	t.Parallel()
	_, ini, res := start(t)
	a, b := dial(t, ini, res)
	defer func() { _ = a.Close(saltyrtc.CloseNormal) }()
	defer func() { _ = b.Close(saltyrtc.CloseNormal) }()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	const n = 200
	big := []byte(strings.Repeat("x", 64<<10))
	errc := make(chan error, 2)
	for _, s := range []*rtclink.Session{a, b} {
		go func() {
			for i := range n {
				msg := []byte{byte(i)}
				if i == n-1 {
					msg = big
				}
				if err := s.Send(ctx, msg); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for _, s := range []*rtclink.Session{b, a} {
		for i := range n {
			got, err := s.Receive(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if (i < n-1 && (len(got) != 1 || got[0] != byte(i))) || (i == n-1 && len(got) != len(big)) {
				t.Fatalf("message %d: %d bytes", i, len(got))
			}
		}
	}
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}

func TestPeerCloseEndsSession(t *testing.T) {
	t.Parallel()
	_, ini, res := start(t)
	a, b := dial(t, ini, res)
	if err := a.Close(saltyrtc.CloseNormal); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if _, err := b.Receive(ctx); !errors.Is(err, saltyrtc.ErrGoingAway) && !errors.Is(err, rtclink.ErrPeerGone) {
		t.Fatalf("after the peer's close: %v", err)
	}
	<-b.Done()
	if err := b.Send(ctx, []byte("x")); err == nil {
		t.Fatal("send after the end")
	}
	if err := a.Send(ctx, []byte("x")); !errors.Is(err, rtclink.ErrClosed) {
		t.Fatalf("send after Close: %v", err)
	}
	_ = b.Close(saltyrtc.CloseNormal)
}

func TestCertificatePinMismatch(t *testing.T) {
	t.Parallel()
	_, ini, _ := start(t)
	ini.TLSCertificateSHA256 = strings.Repeat("ab", 32)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if _, err := rtclink.Dial(ctx, ini); !errors.Is(err, rtclink.ErrCertificatePin) {
		t.Fatalf("wrong pin: %v", err)
	}
	ini.TLSCertificateSHA256 = "" // no pin: the self-signed certificate is not trusted
	if _, err := rtclink.Dial(ctx, ini); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("no pin: %v", err)
	}
}

func TestDialContextCancelled(t *testing.T) {
	t.Parallel()
	_, ini, _ := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := rtclink.Dial(ctx, ini); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("no responder: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	k := key(t)
	for name, cfg := range map[string]rtclink.Config{
		"no server key": {Role: saltyrtc.RoleInitiator, ServerURL: "wss://127.0.0.1:1", PermanentKey: k},
		"bad url":       {Role: saltyrtc.RoleInitiator, ServerURL: "http://x", ServerKey: k.Public, PermanentKey: k},
		"bad pin":       {Role: saltyrtc.RoleInitiator, ServerURL: "wss://127.0.0.1:1", ServerKey: k.Public, PermanentKey: k, TLSCertificateSHA256: "zz"},
	} {
		if _, err := rtclink.Dial(context.Background(), cfg); !errors.Is(err, rtclink.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
	cfg := rtclink.Config{Role: saltyrtc.RoleInitiator, ServerURL: "wss://127.0.0.1:1", ServerKey: k.Public, PermanentKey: k}
	if _, err := rtclink.Dial(context.Background(), cfg); !errors.Is(err, saltyrtc.ErrConfig) {
		t.Errorf("initiator without token: %v", err)
	}
}

func TestSessionSharedKeyAgrees(t *testing.T) {
	t.Parallel()
	_, ini, res := start(t)
	a, b := dial(t, ini, res)
	defer func() { _ = a.Close(saltyrtc.CloseNormal) }()
	defer func() { _ = b.Close(saltyrtc.CloseNormal) }()
	ka, err := a.SessionSharedKey()
	if err != nil {
		t.Fatal(err)
	}
	kb, err := b.SessionSharedKey()
	if err != nil {
		t.Fatal(err)
	}
	if ka != kb || ka == (cryptobox.SharedKey{}) {
		t.Fatal("the two peers derive different session shared keys")
	}
}
