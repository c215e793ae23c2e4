//go:build !nocluster

package pgdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSchemaTooNew means the database was migrated by a newer Kurier.
var ErrSchemaTooNew = errors.New("pgdb: database schema is newer than this program")

// Open connects a pool to the database at url and applies component's
// migrations (files NNNN_name.sql, numbered from 1 without gaps).
func Open(ctx context.Context, url, component string, migrations fs.FS) (*pgxpool.Pool, error) {
	ms, err := load(migrations)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("pgdb: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgdb: connect: %w", err)
	}
	if err := migrate(ctx, pool, component, ms); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func load(migrations fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(migrations, ".")
	if err != nil {
		return nil, fmt.Errorf("pgdb: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("pgdb: migration %q is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrations, e.Name())
		if err != nil {
			return nil, fmt.Errorf("pgdb: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("pgdb: migration %s out of sequence (want %d)", m.name, i+1)
		}
	}
	return ms, nil
}

func migrate(ctx context.Context, pool *pgxpool.Pool, component string, ms []migration) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgdb: migrate %s: %w", component, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	// One lock for every component: CREATE TABLE IF NOT EXISTS is not safe
	// against a concurrent CREATE of the same table.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7295301)`); err != nil {
		return fmt.Errorf("pgdb: migrate %s: lock: %w", component, err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS kurier_schema_version (
		component  TEXT   NOT NULL,
		version    INT    NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
		PRIMARY KEY (component, version)
	)`); err != nil {
		return fmt.Errorf("pgdb: migrate %s: %w", component, err)
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM kurier_schema_version WHERE component = $1`,
		component).Scan(&have); err != nil {
		return fmt.Errorf("pgdb: migrate %s: %w", component, err)
	}
	if have > len(ms) {
		return fmt.Errorf("%w: %s is at version %d, this program knows %d", ErrSchemaTooNew, component, have, len(ms))
	}
	for _, m := range ms[have:] {
		// The simple protocol: a migration file may hold several statements.
		if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("pgdb: migration %s/%s: %w", component, m.name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO kurier_schema_version (component, version) VALUES ($1, $2)`,
			component, m.version); err != nil {
			return fmt.Errorf("pgdb: migration %s/%s: %w", component, m.name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgdb: migrate %s: %w", component, err)
	}
	return nil
}
