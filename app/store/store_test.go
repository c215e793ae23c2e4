package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/kurier/kurier/internal/sqlitedb"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kurier.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func TestOpenAppliesEveryMigration(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	sub, _ := fs.Sub(migrationFiles, "migrations")
	want, err := sqlitedb.Count(sub)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v != want {
		t.Fatalf("schema version %d, want %d", v, want)
	}
}

func TestOpenSetsPragmas(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	var mode string
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode %q, want wal", mode)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if fk != 1 {
		t.Errorf("foreign_keys %d, want 1", fk)
	}
}

func TestReopenKeepsDataAndDoesNotReapply(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kurier.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "theme", "dark"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer func() { _ = s.Close() }()
	got, err := s.Setting(ctx, "theme")
	if err != nil || got != "dark" {
		t.Fatalf("after reopen: %q, %v", got, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, path := openTemp(t)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (9999)`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, path)
	if !errors.Is(err, sqlitedb.ErrSchemaTooNew) {
		t.Fatalf("Open on newer schema: %v, want ErrSchemaTooNew", err)
	}
}

func TestOpenReportsUnwritablePath(t *testing.T) {
	t.Parallel()
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), filepath.Join(blocker, "dir", "kurier.db"))
	if err == nil {
		t.Fatal("Open below a regular file succeeded")
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.Setting(ctx, "language"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing setting: %v, want ErrNotFound", err)
	}
	for _, v := range []string{"en", "de"} {
		if err := s.SetSetting(ctx, "language", v); err != nil {
			t.Fatal(err)
		}
		got, err := s.Setting(ctx, "language")
		if err != nil || got != v {
			t.Fatalf("Setting = %q, %v; want %q", got, err, v)
		}
	}
	all, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all["language"] != "de" {
		t.Fatalf("Settings = %v", all)
	}
}
