package interop

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

// caseTimeout bounds each interop case.
const caseTimeout = 30 * time.Second

// requireNode fails (never skips) when Node or the npm packages are missing.
func requireNode(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node (>= 20) is required for the SaltyRTC interop tests")
	}
	for _, p := range []string{"@saltyrtc/client", "@saltyrtc/task-relayed-data", "tweetnacl", "msgpack-lite", "ws"} {
		if _, err := os.Stat(filepath.Join("node_modules", p, "package.json")); err != nil {
			t.Fatalf("node_modules/%s is missing: run `npm ci` in test/saltyrtc-interop", p)
		}
	}
}

type server struct {
	*signaling.Server
	key cryptobox.KeyPair
}

func startServer(t *testing.T) *server {
	t.Helper()
	key, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := signaling.New(signaling.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Keys: []cryptobox.KeyPair{key}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("signaling Run: %v", err)
		}
	})
	return &server{Server: s, key: key}
}

// line is one JSON line printed by peer.js.
type line struct {
	Event     string `json:"event"`
	Role      string `json:"role"`
	OK        bool   `json:"ok"`
	Received  string `json:"received"`
	PeerKey   string `json:"peerKey"`
	Error     string `json:"error"`
	PublicKey string `json:"publicKey"`
	AuthToken string `json:"authToken"`
}

// jsPeer is a running peer.js.
type jsPeer struct {
	cmd    *exec.Cmd
	lines  chan line
	stderr *strings.Builder
	wg     sync.WaitGroup
}

func startJS(ctx context.Context, t *testing.T, args ...string) *jsPeer {
	t.Helper()
	cmd := exec.CommandContext(ctx, "node", append([]string{"peer.js"}, args...)...)
	cmd.WaitDelay = 2 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &jsPeer{cmd: cmd, lines: make(chan line, 8), stderr: &strings.Builder{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var l line
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				p.lines <- l
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	return p
}

// next returns the next JSON line of kind event.
func (p *jsPeer) next(t *testing.T, event string) line {
	t.Helper()
	for l := range p.lines {
		if l.Event == event {
			return l
		}
	}
	t.Fatalf("peer.js ended before %q; stderr:\n%s", event, p.stderr.String())
	return line{}
}

// wait waits for exit and reports the result line.
func (p *jsPeer) wait(t *testing.T) line {
	t.Helper()
	res := p.next(t, "result")
	err := p.cmd.Wait()
	p.wg.Wait()
	if err != nil || !res.OK {
		t.Fatalf("peer.js %s: exit %v, result %+v; stderr:\n%s", res.Role, err, res, p.stderr.String())
	}
	return res
}

func goConfig(s *server, role saltyrtc.Role) rtclink.Config {
	return rtclink.Config{Role: role, ServerURL: s.URL(), ServerKey: s.key.Public,
		TLSCertificateSHA256: s.CertificateSHA256(), PingInterval: 5 * time.Second}
}

// goExchange receives want from the peer and sends msg back.
func goExchange(ctx context.Context, sess *rtclink.Session, msg, want string) error {
	if err := sess.Send(ctx, []byte(msg)); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	got, err := sess.Receive(ctx)
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	if string(got) != want {
		return fmt.Errorf("received %q, want %q", got, want)
	}
	return nil
}

func TestJSInitiatorJSResponder(t *testing.T) {
	requireNode(t)
	s := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	serverKey := s.key.Public.String()
	ini := startJS(ctx, t, "--role", "initiator", "--url", s.URL(), "--server-key", serverKey,
		"--send", "hello from js initiator", "--expect", "hello from js responder")
	ready := ini.next(t, "ready")
	res := startJS(ctx, t, "--role", "responder", "--url", s.URL(), "--server-key", serverKey,
		"--initiator-key", ready.PublicKey, "--token", ready.AuthToken,
		"--send", "hello from js responder", "--expect", "hello from js initiator")
	r1, r2 := ini.wait(t), res.wait(t)
	if r1.Received != "hello from js responder" || r2.Received != "hello from js initiator" {
		t.Fatalf("received %q and %q", r1.Received, r2.Received)
	}
	if r2.PeerKey != ready.PublicKey {
		t.Fatalf("responder saw peer key %s, want %s", r2.PeerKey, ready.PublicKey)
	}
}

func TestJSInitiatorGoResponder(t *testing.T) {
	requireNode(t)
	s := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	ini := startJS(ctx, t, "--role", "initiator", "--url", s.URL(), "--server-key", s.key.Public.String(),
		"--send", "hello from js initiator", "--expect", "hello from go responder")
	ready := ini.next(t, "ready")
	ik, err := cryptobox.ParsePublicKeyHex(ready.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	tokBytes, err := hex.DecodeString(ready.AuthToken)
	if err != nil || len(tokBytes) != cryptobox.KeySize {
		t.Fatalf("auth token %q: %v", ready.AuthToken, err)
	}
	tok := cryptobox.SymmetricKey(tokBytes)
	own, _ := cryptobox.GenerateKeyPair(rand.Reader)
	cfg := goConfig(s, saltyrtc.RoleResponder)
	cfg.PermanentKey, cfg.InitiatorKey, cfg.AuthToken = own, ik, &tok
	sess, err := rtclink.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("Go responder: %v; peer.js stderr:\n%s", err, ini.stderr.String())
	}
	defer func() { _ = sess.Close(saltyrtc.CloseNormal) }()
	if !sess.PeerKey().Equal(ik) {
		t.Fatal("Go responder: wrong peer key")
	}
	if err := goExchange(ctx, sess, "hello from go responder", "hello from js initiator"); err != nil {
		t.Fatalf("Go responder: %v", err)
	}
	if got := ini.wait(t); got.PeerKey != own.Public.String() {
		t.Fatalf("JS initiator saw peer key %s", got.PeerKey)
	}
}

func TestGoInitiatorJSResponder(t *testing.T) {
	requireNode(t)
	s := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), caseTimeout)
	defer cancel()
	own, _ := cryptobox.GenerateKeyPair(rand.Reader)
	tok, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	cfg := goConfig(s, saltyrtc.RoleInitiator)
	cfg.PermanentKey, cfg.AuthToken = own, &tok
	type dialed struct {
		s   *rtclink.Session
		err error
	}
	dc := make(chan dialed, 1)
	go func() { sess, err := rtclink.Dial(ctx, cfg); dc <- dialed{sess, err} }()
	res := startJS(ctx, t, "--role", "responder", "--url", s.URL(), "--server-key", s.key.Public.String(),
		"--initiator-key", own.Public.String(), "--token", hex.EncodeToString(tok[:]),
		"--send", "hello from js responder", "--expect", "hello from go initiator")
	d := <-dc
	if d.err != nil {
		t.Fatalf("Go initiator: %v; peer.js stderr:\n%s", d.err, res.stderr.String())
	}
	defer func() { _ = d.s.Close(saltyrtc.CloseNormal) }()
	if err := goExchange(ctx, d.s, "hello from go initiator", "hello from js responder"); err != nil {
		t.Fatalf("Go initiator: %v", err)
	}
	got := res.wait(t)
	if got.PeerKey != own.Public.String() {
		t.Fatalf("JS responder saw peer key %s", got.PeerKey)
	}
}
