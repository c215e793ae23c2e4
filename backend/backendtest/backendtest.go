// Package backendtest runs a whole, real Kurier backend on loopback for the
// tests of other packages (the phone, the commands): every server on
// 127.0.0.1:0 with its stores in the test's temporary directory.
package backendtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kurier/kurier/backend"
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
	dir := t.TempDir()
	b, err := backend.New(backend.Config{DataDir: dir, ChatAddr: "127.0.0.1:0", SignalingAddr: "127.0.0.1:0",
		DirectoryAddr: "127.0.0.1:0", BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0"})
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
