//go:build nocluster

package backend

import (
	"errors"
	"testing"

	"github.com/kurier/kurier/internal/pgdb"
)

// TestNoClusterRefusesClusterStorage runs in the desktop's build (-tags
// nocluster, make test-go): a database or bucket URL is refused with
// pgdb.ErrNotBuilt, which says what to run instead, and the SQLite backend
// still starts.
func TestNoClusterRefusesClusterStorage(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"postgres":   {Database: "postgres://127.0.0.1:1/kurier"},
		"s3":         {BlobS3: "s3://a:b@127.0.0.1:1/bucket", Only: []string{ServerBlob}},
		"blob on pg": {Database: "postgres://127.0.0.1:1/kurier", Only: []string{ServerBlob}},
	} {
		cfg.DataDir = t.TempDir()
		cfg.ChatAddr, cfg.SignalingAddr, cfg.DirectoryAddr, cfg.BlobAddr, cfg.AdminAddr =
			"127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
		if _, err := New(cfg); !errors.Is(err, pgdb.ErrNotBuilt) {
			t.Errorf("%s: %v, want %v", name, err, pgdb.ErrNotBuilt)
		}
	}
	dir, stop := startBackend(t, t.TempDir())
	defer stop()
	if dir.Provisioning().Chat.Address == "" {
		t.Fatal("the SQLite backend did not start")
	}
}
