package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kurier/kurier/internal/sqlitedb"
)

// BenchmarkSetSetting measures one durable preference write through the store.
func BenchmarkSetSetting(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "kurier.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	b.ResetTimer()
	for i := range b.N {
		if err := s.SetSetting(ctx, "theme", strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainSQLiteUpsert is the baseline for BenchmarkSetSetting: the same
// upsert through database/sql on a bare modernc SQLite file with the same
// pragmas, without the store.
func BenchmarkPlainSQLiteUpsert(b *testing.B) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", sqlitedb.DSN(filepath.Join(b.TempDir(), "plain.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if _, err := db.ExecContext(ctx, `CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL,
		updated_at INTEGER NOT NULL DEFAULT (unixepoch())) STRICT`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := db.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = unixepoch()`, "theme", strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetting measures one preference read.
func BenchmarkSetting(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "kurier.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	if err := s.SetSetting(ctx, "theme", "dark"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := s.Setting(ctx, "theme"); err != nil {
			b.Fatal(err)
		}
	}
}
