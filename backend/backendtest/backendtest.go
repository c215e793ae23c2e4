// Package backendtest runs a whole, real Kurier backend on loopback for the
// tests of other packages (the phone, the commands): every server on
// 127.0.0.1:0 with its stores in the test's temporary directory.
package backendtest

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kurier/kurier/backend"
	"github.com/kurier/kurier/backend/metrics"
	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
)

// startTimeout bounds the wait for backend.json, and stopTimeout the shutdown.
const (
	startTimeout = 10 * time.Second
	stopTimeout  = 20 * time.Second
)

// Start runs a backend until the test ends and returns it with the path of
// its backend.json, which exists when Start returns.
func Start(t testing.TB) (*backend.Backend, string) {
	t.Helper()
	return start(t, t.TempDir(), nil)
}

// Node is one signaling node of StartCluster, with what it has seen.
type Node struct {
	*signaling.Server
	m *nodeMetrics
}

// Relayed is the number of frames the node relayed between two peers, which
// happens only when an initiator and its responder met on this node.
func (n *Node) Relayed() uint64 { return n.m.relayed.Load() }

// RelayedBy is what each node has relayed so far.
func RelayedBy(nodes []*Node) []uint64 {
	out := make([]uint64, len(nodes))
	for i, n := range nodes {
		out[i] = n.Relayed()
	}
	return out
}

// OnlyNodeRelayed fails t unless, since before (RelayedBy), node want and
// no other relayed frames between two peers (want < 0: none did).
func OnlyNodeRelayed(t testing.TB, nodes []*Node, before []uint64, want int) {
	t.Helper()
	for i, n := range RelayedBy(nodes) {
		if moved := n > before[i]; moved != (i == want) {
			t.Errorf("node %d relayed %d frames (before %d); only node %d should have", i, n, before[i], want)
		}
	}
}

// nodeMetrics counts the frames a node relayed.
type nodeMetrics struct{ relayed atomic.Uint64 }

// ConnectionsChanged implements signaling.Metrics.
func (m *nodeMetrics) ConnectionsChanged(int) {}

// PathsChanged implements signaling.Metrics.
func (m *nodeMetrics) PathsChanged(int) {}

// MessageRelayed implements signaling.Metrics.
func (m *nodeMetrics) MessageRelayed() { m.relayed.Add(1) }

// ProtocolError implements signaling.Metrics.
func (m *nodeMetrics) ProtocolError() {}

// StartCluster runs n real signaling nodes on loopback — signaling servers
// sharing the backend's signaling key and TLS certificate, as an operator
// runs them — and a whole backend whose backend.json lists them as
// signaling.nodes, all until the test ends. It returns the path of its
// backend.json, the signaling section read from it, and the nodes in the
// order backend.json lists them.
func StartCluster(t testing.TB, n int) (string, *provisioning.Signaling, []*Node) {
	t.Helper()
	dir := t.TempDir()
	keys, err := backend.LoadOrCreateKeys(dir, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	nodes := make([]*Node, 0, n)
	urls := make([]string, 0, n)
	for range n {
		m := &nodeMetrics{}
		// The backend's own signaling server uses this directory too: one
		// certificate for the cluster, so the one pin in backend.json fits.
		s, err := signaling.New(signaling.Config{Addr: "127.0.0.1:0", DataDir: filepath.Join(dir, "signaling"),
			Keys: []cryptobox.KeyPair{keys.Signaling}, Metrics: m})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("signaling node: %v", err)
				}
			case <-time.After(stopTimeout):
				t.Error("signaling node did not stop")
			}
		})
		nodes = append(nodes, &Node{Server: s, m: m})
		urls = append(urls, s.URL())
	}
	_, path := start(t, dir, urls)
	prov, err := provisioning.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, prov.Signaling, nodes
}

// start runs a backend in dir listing signalingNodes (none when nil) until
// the test ends, and waits for its backend.json.
func start(t testing.TB, dir string, signalingNodes []string) (*backend.Backend, string) {
	t.Helper()
	b, err := backend.New(backend.Config{DataDir: dir, ChatAddr: "127.0.0.1:0", SignalingAddr: "127.0.0.1:0",
		DirectoryAddr: "127.0.0.1:0", BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0", SignalingNodes: signalingNodes,
		Metrics: metrics.New()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("backend: %v", err)
			}
		case <-time.After(stopTimeout):
			t.Error("backend did not stop")
		}
	})
	path := filepath.Join(dir, backend.ProvisioningFile)
	for deadline := time.Now().Add(startTimeout); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return b, path
		}
		if time.Now().After(deadline) {
			t.Fatal("backend.json never appeared")
		}
	}
}
