package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/provisioning"
)

// built is the kurier-backend binary the tests share, compiled once.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildBackend compiles this command once for every test of the package
// (TestMain removes it).
func buildBackend(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "kurier-backend-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "kurier-backend")
		if out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// startProcess runs kurier-backend on free ports and waits for backend.json.
func startProcess(t *testing.T, bin, dir string, flags ...string) (*exec.Cmd, *provisioning.File) {
	t.Helper()
	_ = os.Remove(filepath.Join(dir, "backend.json"))
	logf, err := os.OpenFile(filepath.Join(dir, "backend.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--data", dir, "--chat", "127.0.0.1:0", "--signaling", "127.0.0.1:0",
		"--directory", "127.0.0.1:0", "--blob", "127.0.0.1:0", "--admin", "127.0.0.1:0"}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		_ = logf.Close()
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if f, err := provisioning.Load(filepath.Join(dir, "backend.json")); err == nil {
			return cmd, f
		}
		time.Sleep(20 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "backend.log"))
	t.Fatalf("backend.json never appeared\n%s", log)
	return nil, nil
}

type party struct {
	id string
	kp cryptobox.KeyPair
}

func register(t *testing.T, f *provisioning.File) party {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := dirclient.New(f.Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	id, err := dc.Create(context.Background(), kp)
	if err != nil {
		t.Fatal(err)
	}
	return party{id: id, kp: kp}
}

func connect(t *testing.T, f *provisioning.File, p party) *client.Client {
	t.Helper()
	key, err := f.ChatKey()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, client.Config{Addr: f.Chat.Address, ServerKey: key, Identity: p.id, Key: p.kp})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAcknowledgedMessagesSurviveSIGKILL sends messages to an offline
// receiver, waits for every server ack, kills kurier-backend with SIGKILL,
// restarts it on the same data directory and checks that every acknowledged
// message is delivered, in order, exactly once after the receiver acks.
func TestAcknowledgedMessagesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the kurier-backend binary")
	}
	bin := buildBackend(t)
	t.Run("sqlite", func(t *testing.T) { acknowledgedSurviveSIGKILL(t, bin) })
	t.Run("postgres", func(t *testing.T) {
		dir := acknowledgedSurviveSIGKILL(t, bin, "--database", pgtest.URL(t))
		if _, err := os.Stat(filepath.Join(dir, "chat", "chat.db")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("with --database the chat queue is still in the data directory: %v", err)
		}
	})
}

// acknowledgedSurviveSIGKILL sends 300 messages through a kurier-backend
// started with flags, kills it, starts it again, and checks that every one
// is delivered once, in order; it returns the data directory.
func acknowledgedSurviveSIGKILL(t *testing.T, bin string, flags ...string) string {
	const n = 300
	dir := t.TempDir()
	proc, f := startProcess(t, bin, dir, flags...)
	alice, bob := register(t, f), register(t, f)
	aliceID, _ := csp.ParseID(alice.id)
	bobID, _ := csp.ParseID(bob.id)

	sender := connect(t, f, alice)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := range n {
		env := csp.Envelope{Sender: aliceID, Receiver: bobID, MessageID: uint64(i + 1), CreatedAt: uint32(time.Now().Unix())}
		env.Box = binary.LittleEndian.AppendUint64(make([]byte, 0, 24), uint64(i+1))
		env.Box = append(env.Box, make([]byte, 16)...)
		if _, err := rand.Read(env.Nonce[:]); err != nil {
			t.Fatal(err)
		}
		if err := sender.Send(ctx, env); err != nil { // returns once the server acked
			t.Fatalf("send %d: %v", i, err)
		}
	}
	_ = sender.Close()

	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = proc.Process.Wait()

	_, f = startProcess(t, bin, dir, flags...)
	receiver := connect(t, f, bob)
	seen := make(map[uint64]bool)
	var last uint64
	for len(seen) < n {
		select {
		case env := <-receiver.Incoming():
			if seen[env.MessageID] {
				t.Fatalf("message %d delivered twice", env.MessageID)
			}
			if env.MessageID <= last {
				t.Fatalf("message %d after %d: out of order", env.MessageID, last)
			}
			if got := binary.LittleEndian.Uint64(env.Box); got != env.MessageID {
				t.Fatalf("message %d carries body %d", env.MessageID, got)
			}
			seen[env.MessageID], last = true, env.MessageID
			if err := receiver.Ack(ctx, env.Sender, env.MessageID); err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatalf("only %d of %d acknowledged messages delivered after SIGKILL", len(seen), n)
		}
	}
	// CSP has no ack of an ack: wait until the server has committed the
	// deletions (the admin QA API reads the queue from the store).
	for depth := -1; depth != 0; {
		resp, err := http.Get(f.Admin.URL + "qa/identities/" + bob.id + "/queue")
		if err != nil {
			t.Fatal(err)
		}
		var q struct{ Queued int }
		err = json.NewDecoder(resp.Body).Decode(&q)
		_ = resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		depth = q.Queued
		if ctx.Err() != nil {
			t.Fatalf("%d messages still queued after every ack", depth)
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = receiver.Close()

	// Everything was acked: a new session receives nothing more.
	again := connect(t, f, bob)
	defer func() { _ = again.Close() }()
	if err := again.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case env := <-again.Incoming():
		t.Fatalf("message %d delivered again after its ack", env.MessageID)
	case <-time.After(300 * time.Millisecond):
	}
	return dir
}
