package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
)

// buildBinary builds kurier-phone for the process tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kurier-phone")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a kurier-phone serve process.
type server struct {
	cmd   *exec.Cmd
	addr  string
	token string
}

func startServe(t *testing.T, bin, dir string, extra ...string) *server {
	t.Helper()
	_ = os.Remove(filepath.Join(dir, "control.addr"))
	cmd := exec.Command(bin, append([]string{"--data", dir, "serve", "--control", "127.0.0.1:0"}, extra...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		a, _ := os.ReadFile(filepath.Join(dir, "control.addr"))
		if len(a) > 0 {
			s.addr = strings.TrimSpace(string(a))
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
	}
	tok, err := os.ReadFile(filepath.Join(dir, "control.token"))
	if err != nil {
		t.Fatal(err)
	}
	s.token = strings.TrimSpace(string(tok))
	return s
}

// post sends a text through the control API; it reports the message id when
// the phone answered 202 (the message is stored in its outbox).
func (s *server) post(to, text string) (string, bool) {
	body := fmt.Sprintf(`{"to":%q,"text":%q}`, to, text)
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/v1/messages", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	defer func() { _ = resp.Body.Close() }()
	var m struct {
		ID string `json:"id"`
	}
	if resp.StatusCode != http.StatusAccepted || json.NewDecoder(resp.Body).Decode(&m) != nil {
		return "", false
	}
	return m.ID, true
}

func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
}

func (s *server) term(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
}

// TestSIGKILLLosesNothing kills a serving phone with SIGKILL while it sends
// and while it receives: every message it accepted (202) reaches the peer
// exactly once, and every message sent to it is stored exactly once.
func TestSIGKILLLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	bj := startBackend(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sDir, rDir := t.TempDir(), t.TempDir()
	sID, err := phone.Init(ctx, sDir, bj, "S")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := phone.Init(ctx, rDir, bj, "R"); err != nil {
		t.Fatal(err)
	}
	r, err := phone.Open(ctx, rDir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	received := make(chan phone.Event, 10000)
	r.Subscribe(func(e phone.Event) {
		if e.Kind == phone.EventMessage {
			received <- e
		}
	})
	rctx, rstop := context.WithCancel(ctx)
	rdone := make(chan error, 1)
	go func() { rdone <- r.Run(rctx) }()
	defer func() { rstop(); <-rdone }()

	// 1. The sender is killed while the API accepts messages.
	s := startServe(t, bin, sDir)
	accepted := map[string]bool{}
	const n = 60
	killed := make(chan struct{})
	for i := range n {
		if i == n/2 {
			go func(p *os.Process) { _ = p.Signal(syscall.SIGKILL); close(killed) }(s.cmd.Process)
		}
		if id, ok := s.post(r.ID(), fmt.Sprintf("s%03d", i)); ok {
			accepted[id] = true
		}
	}
	<-killed
	_ = s.cmd.Wait()
	s = startServe(t, bin, sDir) // resends the outbox
	got := map[string]int{}
	deadline := time.After(60 * time.Second)
	for missing := len(accepted); missing > 0; {
		select {
		case e := <-received:
			id := fmt.Sprintf("%016x", e.MessageID)
			got[id]++
			if accepted[id] && got[id] == 1 {
				missing--
			}
		case <-deadline:
			t.Fatalf("%d of %d accepted messages never arrived", missing, len(accepted))
		}
	}
	t.Logf("%d of %d messages accepted before the SIGKILL", len(accepted), n)
	if len(accepted) < n/2 {
		t.Fatalf("only %d messages accepted", len(accepted))
	}

	// 2. The receiver is killed while messages arrive.
	for i := range n {
		if i == n/3 {
			s.kill(t)
			s = startServe(t, bin, sDir)
		}
		if _, err := r.SendText(ctx, sID, fmt.Sprintf("r%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // let the killed-and-restarted phone catch up
	s.term(t)
	var out, errOut bytes.Buffer
	if err := execute(ctx, []string{"--data", sDir, "inbox", "--sync", "--limit", "1000"}, &out, &errOut); err != nil {
		t.Fatalf("inbox: %v %s", err, errOut.String())
	}
	count := map[string]int{}
	for _, l := range strings.Split(out.String(), "\n") {
		if i := strings.Index(l, " r0"); i >= 0 && strings.Contains(l, "< "+r.ID()) {
			count[l[i+1:i+5]]++
		}
	}
	for i := range n {
		if c := count[fmt.Sprintf("r%03d", i)]; c != 1 {
			t.Fatalf("r%03d stored %d times", i, c)
		}
	}
	// The receiver's side of part 1: nothing twice.
	time.Sleep(200 * time.Millisecond)
	for id, c := range got {
		if c != 1 {
			t.Fatalf("message %s stored %d times", id, c)
		}
	}
}
