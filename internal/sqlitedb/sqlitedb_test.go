package sqlitedb

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestOpenMigratesOnceInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	v1 := fstest.MapFS{"0001_a.sql": {Data: []byte("CREATE TABLE a (x INTEGER);")}}
	db, err := Open(ctx, path, v1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO a VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	v2 := fstest.MapFS{
		"0001_a.sql": v1["0001_a.sql"],
		"0002_b.sql": {Data: []byte("CREATE TABLE b (y INTEGER); INSERT INTO b SELECT x FROM a;")},
		"README.txt": {Data: []byte("ignored")},
	}
	db, err = Open(ctx, path, v2)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if v, err := Version(ctx, db); err != nil || v != 2 {
		t.Fatalf("version %d, %v", v, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM b`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("migrated rows %d, %v", n, err)
	}
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v", mode, err)
	}
	var fk int
	if err := db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys %d, %v", fk, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	two := fstest.MapFS{"0001_a.sql": {Data: []byte("SELECT 1;")}, "0002_b.sql": {Data: []byte("SELECT 1;")}}
	db, err := Open(ctx, path, two)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := Open(ctx, path, fstest.MapFS{"0001_a.sql": two["0001_a.sql"]}); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("older program: %v", err)
	}
}

func TestBadMigrationsAreRefusedAndRolledBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, m := range map[string]fstest.MapFS{
		"gap":      {"0001_a.sql": {Data: []byte("SELECT 1;")}, "0003_c.sql": {Data: []byte("SELECT 1;")}},
		"bad name": {"first.sql": {Data: []byte("SELECT 1;")}},
		"bad sql":  {"0001_a.sql": {Data: []byte("CREATE TABLE t (x);")}, "0002_b.sql": {Data: []byte("NOT SQL")}},
	} {
		path := filepath.Join(t.TempDir(), "x.db")
		if db, err := Open(ctx, path, m); err == nil {
			_ = db.Close()
			t.Errorf("%s: Open succeeded", name)
			continue
		}
		if name == "bad sql" {
			db, err := Open(ctx, path, fstest.MapFS{"0001_a.sql": m["0001_a.sql"]})
			if err != nil {
				t.Fatalf("%s: reopen: %v", name, err)
			}
			if v, _ := Version(ctx, db); v != 1 {
				t.Errorf("%s: half-applied migrations left version %d", name, v)
			}
			_ = db.Close()
		}
	}
}
