package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/kurier/kurier/internal/sqlitedb"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is an open local database.
type Store struct {
	db   *sql.DB
	seal sealing
}

// Open opens (creating if needed) the database at path, sets WAL, foreign keys
// and the busy timeout, and applies every pending migration in one transaction.
func Open(ctx context.Context, path string) (*Store, error) {
	migrations, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	db, err := sqlitedb.Open(ctx, path, migrations)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// SchemaVersion reports the number of the last applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return sqlitedb.Version(ctx, s.db)
}
