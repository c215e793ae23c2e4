package store

import (
	"context"
	"crypto/rand"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kurier/kurier/internal/sqlitedb"
	"github.com/kurier/kurier/protocol/cryptobox"
)

// TestContactNameUpgrade opens a database of schema 3, when a contact had
// one name, with the current schema: the name becomes the first name.
func TestContactNameUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "phone.db")
	all, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	old := fs.FS(firstMigrations{all, 3})
	db, err := sqlitedb.Open(ctx, path, old)
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	if _, err := db.ExecContext(ctx, `INSERT INTO contacts (id, public_key, nickname, name, verification, created_at, updated_at)
		VALUES ('PEER0001', ?, 'peer', 'Bob Example', 1, 1, 1), ('PEER0002', ?, 'other', '', 1, 1, 1)`, kp.Public[:], kp.Public[:]); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	c, err := s.Contact(ctx, "PEER0001")
	if err != nil || c.FirstName != "Bob Example" || c.LastName != "" || c.DisplayName() != "Bob Example" {
		t.Fatalf("named contact after the upgrade: %+v, %v", c, err)
	}
	if c, err = s.Contact(ctx, "PEER0002"); err != nil || c.Name() != "" || c.DisplayName() != "~other" {
		t.Fatalf("unnamed contact after the upgrade: %+v, %v", c, err)
	}
}

// firstMigrations is a migrations directory cut after its first n files.
type firstMigrations struct {
	fs.FS
	n int
}

// ReadDir lists the first n migrations.
func (f firstMigrations) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(f.FS, name)
	if err != nil {
		return nil, err
	}
	var out []fs.DirEntry
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".sql") && len(out) < f.n {
			out = append(out, e)
		}
	}
	return out, nil
}
