package phone

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestInitFailsBeforeRegistering: a data directory where backend.json
// cannot be written fails Init before the directory hands out an ID, and
// once fixed, Init succeeds and the phone opens.
func TestInitFailsBeforeRegistering(t *testing.T) {
	w := newWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	dir := t.TempDir()
	blocker := filepath.Join(dir, BackendFile, "x")
	if err := os.MkdirAll(blocker, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(ctx, dir, w.provPath, "A"); err == nil {
		t.Fatal("init with an unwritable backend.json succeeded")
	}
	if err := os.RemoveAll(filepath.Join(dir, BackendFile)); err != nil {
		t.Fatal(err)
	}
	id, err := Init(ctx, dir, w.provPath, "A")
	if err != nil {
		t.Fatalf("init after the failure: %v", err)
	}
	p, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Close() }()
	if p.ID() != id {
		t.Fatalf("opened %s, initialised %s", p.ID(), id)
	}
}
