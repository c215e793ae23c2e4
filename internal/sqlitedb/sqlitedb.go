// Package sqlitedb opens Kurier's SQLite databases (modernc.org/sqlite) the
// one way every store uses: WAL, foreign keys, a busy timeout and immediate
// write transactions set through the DSN, and numbered .sql migrations applied
// in one transaction and tracked in a schema_version table.
//
// Each store (the desktop's, the phone's, each server's) embeds its own
// migrations directory, named NNNN_name.sql from 0001 without gaps, and owns
// all of its SQL; this package only opens and migrates.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrSchemaTooNew is returned by Open when the database was written by a newer
// program whose migrations this binary does not know.
var ErrSchemaTooNew = errors.New("sqlitedb: database schema is newer than this program")

// busyTimeoutMillis is how long a connection waits for a lock held by another
// connection before giving up with SQLITE_BUSY.
const busyTimeoutMillis = 5000

// DSN is the data source name for path with Kurier's pragmas.
func DSN(path string) string {
	q := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",
		"foreign_keys(ON)",
		"busy_timeout(" + strconv.Itoa(busyTimeoutMillis) + ")",
		"synchronous(NORMAL)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating it and its directory, mode 0700, if needed) the
// database at path and applies every migration in migrations (a directory of
// NNNN_name.sql files) that it has not applied yet, in one transaction.
func Open(ctx context.Context, path string, migrations fs.FS) (*sql.DB, error) {
	ms, err := load(migrations)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlitedb: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlitedb: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlitedb: open %s: %w", path, err)
	}
	if err := migrate(ctx, db, ms); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Version reports the number of the last applied migration.
func Version(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlitedb: schema version: %w", err)
	}
	return v, nil
}

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// Count reports how many migrations a directory holds, after validating their names.
func Count(migrations fs.FS) (int, error) {
	ms, err := load(migrations)
	return len(ms), err
}

func load(migrations fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(migrations, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlitedb: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlitedb: migration %q is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrations, e.Name())
		if err != nil {
			return nil, fmt.Errorf("sqlitedb: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlitedb: migration %s out of sequence (want %d)", m.name, i+1)
		}
	}
	return ms, nil
}

func migrate(ctx context.Context, db *sql.DB, ms []migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlitedb: migrate: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL DEFAULT (unixepoch())
	)`); err != nil {
		return fmt.Errorf("sqlitedb: migrate: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("sqlitedb: migrate: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("%w: database at %d, program knows %d", ErrSchemaTooNew, current, len(ms))
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlitedb: apply migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (?)`, m.version); err != nil {
			return fmt.Errorf("sqlitedb: record migration %s: %w", m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlitedb: migrate: %w", err)
	}
	return nil
}
