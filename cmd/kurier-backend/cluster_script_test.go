package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/provisioning"
)

// TestMakeCluster runs scripts/cluster.sh (make cluster) as QA would: three
// nodes on a throwaway PostgreSQL come up, one backend.json lists every
// signaling node, a message sent through node 1 reaches a receiver on node 2,
// and SIGINT stops the nodes and PostgreSQL.
func TestMakeCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kurier-backend and starts PostgreSQL and three nodes")
	}
	bin := buildBackend(t)
	out := t.TempDir()
	base := freePortBase(t)
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "cluster.sh"), bin)
	cmd.Env = append(os.Environ(), "CLUSTER_DIR="+out, fmt.Sprintf("CLUSTER_PORT_BASE=%d", base),
		fmt.Sprintf("CLUSTER_PG_PORT=%d", base+90))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	ready := make(chan struct{})
	var (
		mu  sync.Mutex
		buf strings.Builder
	)
	logged := func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			mu.Lock()
			buf.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.Contains(sc.Text(), "cluster: ready") {
				close(ready)
			}
		}
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	select {
	case <-ready:
	case err := <-exited:
		t.Fatalf("cluster.sh exited: %v\n%s", err, logged())
	case <-time.After(90 * time.Second):
		t.Fatalf("cluster.sh not ready\n%s", logged())
	}
	f, err := provisioning.Load(filepath.Join(out, "backend.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Signaling.Nodes) != 3 {
		t.Fatalf("backend.json lists %d signaling nodes, want 3", len(f.Signaling.Nodes))
	}
	alice, bob := register(t, f), register(t, f)
	key, err := f.ChatKey()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dial := func(p party, node int) *client.Client {
		c, err := client.Dial(ctx, client.Config{Addr: fmt.Sprintf("127.0.0.1:%d", base+node), ServerKey: key, Identity: p.id, Key: p.kp})
		if err != nil {
			t.Fatalf("node %d: %v", node, err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	ca, cb := dial(alice, 1), dial(bob, 2)
	if err := cb.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	aliceID, _ := csp.ParseID(alice.id)
	bobID, _ := csp.ParseID(bob.id)
	if err := ca.Send(ctx, csp.Envelope{Sender: aliceID, Receiver: bobID, MessageID: 7, CreatedAt: uint32(time.Now().Unix()), Box: make([]byte, 24)}); err != nil {
		t.Fatal(err)
	}
	select {
	case env := <-cb.Incoming():
		if env.MessageID != 7 || env.Sender != aliceID {
			t.Fatalf("got %+v", env)
		}
	case <-ctx.Done():
		t.Fatal("the message sent through node 1 never reached node 2")
	}
	// Ctrl+C stops everything.
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("cluster.sh did not stop on SIGINT\n%s", logged())
	}
	if !strings.Contains(logged(), "cluster: stopped") {
		t.Fatalf("no clean stop\n%s", logged())
	}
	for _, port := range []int{base, base + 1, base + 2, base + 90} {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			_ = c.Close()
			t.Errorf("port %d still open after the stop", port)
		}
	}
}

// freePortBase finds a base port below Linux's ephemeral range (32768 on)
// such that the cluster's ports (base+0…base+44, and base+90 for
// PostgreSQL) are all free right now.
func freePortBase(t *testing.T) int {
	t.Helper()
	for range 50 {
		base := 10000 + 100*rand.IntN(220)
		ok := true
		for _, off := range append(seq(0, 45), 90) {
			ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+off))
			if err != nil {
				ok = false
				break
			}
			_ = ln.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no free range of ports for the cluster")
	return 0
}

// seq is from, from+1, …, to-1.
func seq(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}
