package backend

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/provisioning"
)

// TestSignalingNodesInBackendJSON: Config.SignalingNodes reach backend.json
// as signaling.nodes in their order (host:port with the server's scheme),
// next to the unchanged single url, and the admin server serves them too.
func TestSignalingNodesInBackendJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := New(Config{DataDir: dir, ChatAddr: "127.0.0.1:0", SignalingAddr: "127.0.0.1:0",
		DirectoryAddr: "127.0.0.1:0", BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
		SignalingNodes: []string{"wss://sig-0.example.org:8765/", " sig-1.example.org:443", "ws://[::1]:9000"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	path := filepath.Join(dir, ProvisioningFile)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("backend.json never appeared")
		}
	}
	file, err := provisioning.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sig := file.Signaling
	want := []provisioning.SignalingNode{{URL: "wss://sig-0.example.org:8765/"}, {URL: "wss://sig-1.example.org:443/"}, {URL: "ws://[::1]:9000"}}
	if len(sig.Nodes) != len(want) {
		t.Fatalf("nodes: %+v", sig.Nodes)
	}
	for i := range want {
		if sig.Nodes[i] != want[i] {
			t.Fatalf("node %d: %+v, want %+v", i, sig.Nodes[i], want[i])
		}
	}
	if !strings.HasPrefix(sig.URL, "wss://127.0.0.1:") || sig.PublicKey != b.Keys().Signaling.Public.String() || len(sig.TLSCertificateSHA256) != 64 {
		t.Fatalf("the single signaling entry changed: %+v", sig)
	}
	// Every node inherits the cluster's key and pin.
	for _, n := range sig.NodeList() {
		if n.PublicKey != sig.PublicKey || n.TLSCertificateSHA256 != sig.TLSCertificateSHA256 {
			t.Fatalf("node %+v does not inherit", n)
		}
	}
	code, body := get(t, file.Admin.URL+"backend.json")
	if code != 200 || !strings.Contains(body, `"nodes"`) || !strings.Contains(body, "sig-1.example.org:443") {
		t.Fatalf("admin backend.json: %d %s", code, body)
	}
}

// TestNoSignalingNodesLeavesBackendJSONAsBefore: without SignalingNodes the
// file has no nodes at all, so clients and QR codes stay as they were.
func TestNoSignalingNodesLeavesBackendJSONAsBefore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, stop := startBackend(t, dir)
	defer stop()
	data, err := os.ReadFile(filepath.Join(dir, ProvisioningFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "nodes") {
		t.Fatalf("backend.json of one node mentions nodes:\n%s", data)
	}
}

// TestBadSignalingNodesAreRefused: New refuses a bad node list with a clear
// error before any server listens.
func TestBadSignalingNodesAreRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		nodes []string
		only  []string
		says  string
	}{
		{[]string{""}, nil, "signaling node 0 is empty"},
		{[]string{"wss://a.example.org:1/", " "}, nil, "signaling node 1 is empty"},
		{[]string{"sig.example.org"}, nil, "neither a ws:// or wss:// URL nor host:port"},
		{[]string{"https://sig.example.org:443/"}, nil, "not a ws:// or wss:// URL"},
		{[]string{"wss://sig.example.org/"}, nil, "has no port"},
		{[]string{"wss://:8765/"}, nil, "has no host"},
		{[]string{"bad host:8765"}, nil, "signaling node 0"},
		{[]string{"wss://sig.example.org:8765/path"}, nil, "only scheme, host and port"},
		{[]string{"sig.example.org:8765", "wss://SIG.example.org:8765"}, nil, "nodes 0 and 1"},
		{[]string{"sig.example.org:8765"}, []string{ServerDirectory}, "need the signaling server"},
	} {
		_, err := New(Config{DataDir: t.TempDir(), ChatAddr: "127.0.0.1:0", SignalingAddr: "127.0.0.1:0",
			DirectoryAddr: "127.0.0.1:0", BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
			SignalingNodes: c.nodes, Only: c.only})
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("nodes %q: %v (want it to say %q)", c.nodes, err, c.says)
		}
		if len(c.only) == 0 && !errors.Is(err, provisioning.ErrInvalid) && !strings.Contains(err.Error(), "node") {
			t.Errorf("nodes %q: unclear error %v", c.nodes, err)
		}
	}
}
