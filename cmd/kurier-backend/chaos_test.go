package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/provisioning"
)

// node is one kurier-backend process of a cluster test, restartable on
// the same addresses.
type node struct {
	t      *testing.T
	bin    string
	dir    string
	flags  []string
	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been waited for
	chat   string
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}

// newNode prepares a node on fixed free addresses; keysFrom, if not empty,
// is a data directory whose keys it copies (one cluster, one set of keys).
func newNode(t *testing.T, bin, keysFrom string, flags ...string) *node {
	t.Helper()
	n := &node{t: t, bin: bin, dir: t.TempDir(), chat: freeAddr(t)}
	n.flags = append([]string{"--data", n.dir, "--chat", n.chat, "--signaling", freeAddr(t),
		"--directory", freeAddr(t), "--blob", freeAddr(t), "--admin", freeAddr(t)}, flags...)
	if keysFrom != "" {
		if out, err := exec.Command("cp", "-a", filepath.Join(keysFrom, "keys"), n.dir+"/").CombinedOutput(); err != nil {
			t.Fatalf("copy keys: %v %s", err, out)
		}
	}
	t.Cleanup(func() { n.kill() })
	return n
}

// start runs the node and waits for its backend.json.
func (n *node) start() *provisioning.File {
	n.t.Helper()
	_ = os.Remove(filepath.Join(n.dir, "backend.json"))
	logf, err := os.OpenFile(filepath.Join(n.dir, "backend.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		n.t.Fatal(err)
	}
	cmd := exec.Command(n.bin, n.flags...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		_ = logf.Close()
		close(exited)
	}()
	n.mu.Lock()
	n.cmd, n.exited = cmd, exited
	n.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if f, err := provisioning.Load(filepath.Join(n.dir, "backend.json")); err == nil {
			return f
		}
		time.Sleep(10 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(n.dir, "backend.log"))
	n.t.Fatalf("node did not start\n%s", log)
	return nil
}

// kill SIGKILLs the node's process, if it runs.
func (n *node) kill() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd != nil {
		_ = n.cmd.Process.Signal(syscall.SIGKILL)
		<-n.exited
		n.cmd = nil
	}
}

// ledger is the checker's record: every message a sender had acknowledged
// and every message a receiver read (Jepsen's queue model: every
// acknowledged write must be read; nothing is read that was not written).
type ledger struct {
	mu        sync.Mutex
	attempted map[[2]uint64]bool // (sender, id) handed to Send
	acked     map[[2]uint64]bool
	read      map[[2]uint64]int // how often delivered
}

func key(sender csp.ID, id uint64) [2]uint64 {
	return [2]uint64{binary.BigEndian.Uint64(sender[:]), id}
}

// TestClusterSurvivesSIGKILLs: three kurier-backend nodes on one
// PostgreSQL, 50 clients spread over them sending to and receiving from one
// another, and 100 random SIGKILLs of nodes (each restarted at once; the
// clients reconnect and resend what was not acked). Then: not one
// acknowledged message is lost, nothing is read that was not sent.
// KURIER_CHAOS_KILLS sets the number of kills.
func TestClusterSurvivesSIGKILLs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs kurier-backend nodes")
	}
	kills := 100
	if s := os.Getenv("KURIER_CHAOS_KILLS"); s != "" {
		var err error
		if kills, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	bin := buildBackend(t)
	url := pgtest.URL(t)
	nodes := []*node{newNode(t, bin, "", "--database", url, "--node", "n0")}
	f := nodes[0].start()
	for i := 1; i < 3; i++ {
		nodes = append(nodes, newNode(t, bin, nodes[0].dir, "--database", url, "--node", "n"+strconv.Itoa(i)))
		nodes[i].start()
	}
	key0, err := f.ChatKey()
	if err != nil {
		t.Fatal(err)
	}
	const nclients = 50
	parties := make([]party, nclients)
	ids := make([]csp.ID, nclients)
	for i := range parties {
		parties[i] = register(t, f)
		ids[i], _ = csp.ParseID(parties[i].id)
	}
	l := &ledger{attempted: map[[2]uint64]bool{}, acked: map[[2]uint64]bool{}, read: map[[2]uint64]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clients := make([]*client.Client, nclients)
	for i, p := range parties {
		dctx, dcancel := context.WithTimeout(ctx, 20*time.Second)
		c, err := client.Dial(dctx, client.Config{Addr: nodes[i%3].chat, ServerKey: key0, Identity: p.id, Key: p.kp,
			ReconnectMin: 20 * time.Millisecond, ReconnectMax: 200 * time.Millisecond})
		dcancel()
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = c.Close() }()
		clients[i] = c
	}
	var wg sync.WaitGroup
	stopSending := make(chan struct{})
	for i, c := range clients {
		wg.Add(2)
		go func() { // receive and ack everything
			defer wg.Done()
			for {
				select {
				case env, ok := <-c.Incoming():
					if !ok {
						return
					}
					l.mu.Lock()
					l.read[key(env.Sender, env.MessageID)]++
					l.mu.Unlock()
					actx, acancel := context.WithTimeout(ctx, 5*time.Second)
					_ = c.Ack(actx, env.Sender, env.MessageID) // if lost, the message comes again
					acancel()
				case <-ctx.Done():
					return
				}
			}
		}()
		go func() { // send to the next client until told to stop
			defer wg.Done()
			to := ids[(i+1)%nclients]
			for m := uint64(1); ; m++ {
				select {
				case <-stopSending:
					return
				default:
				}
				env := csp.Envelope{Sender: ids[i], Receiver: to, MessageID: m, CreatedAt: uint32(time.Now().Unix()), Box: make([]byte, 24)}
				_, _ = rand.Read(env.Nonce[:])
				l.mu.Lock()
				l.attempted[key(ids[i], m)] = true
				l.mu.Unlock()
				sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
				err := c.Send(sctx, env)
				scancel()
				if err == nil {
					l.mu.Lock()
					l.acked[key(ids[i], m)] = true
					l.mu.Unlock()
				}
				time.Sleep(time.Duration(mrand.IntN(20)) * time.Millisecond)
			}
		}()
	}
	for k := range kills {
		time.Sleep(time.Duration(50+mrand.IntN(250)) * time.Millisecond)
		n := nodes[mrand.IntN(len(nodes))]
		n.kill()
		n.start()
		if k%20 == 19 {
			l.mu.Lock()
			t.Logf("%d kills: %d messages acknowledged, %d read", k+1, len(l.acked), len(l.read))
			l.mu.Unlock()
		}
	}
	close(stopSending)
	// Every acknowledged message must arrive.
	deadline := time.Now().Add(90 * time.Second)
	for {
		l.mu.Lock()
		missing := 0
		for k := range l.acked {
			if l.read[k] == 0 {
				missing++
			}
		}
		acked, read := len(l.acked), len(l.read)
		l.mu.Unlock()
		if missing == 0 {
			t.Logf("%d kills: %d messages acknowledged, %d distinct read, none lost", kills, acked, read)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d acknowledged messages never arrived", missing, acked)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	dups := 0
	for k, n := range l.read {
		if !l.attempted[k] {
			t.Errorf("message %x/%d read but never sent", k[0], k[1])
		}
		if n > 1 {
			dups++
		}
	}
	if len(l.acked) < 10*kills/2 {
		t.Errorf("only %d messages acknowledged during %d kills: the load was too light to test anything", len(l.acked), kills)
	}
	t.Logf("%d messages delivered more than once (redelivery after a kill; receivers deduplicate)", dups)
}
