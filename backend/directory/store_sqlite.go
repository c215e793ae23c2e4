package directory

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/kurier/kurier/internal/sqlitedb"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

//go:embed migrations/sqlite/*.sql
var sqliteMigrations embed.FS

// sqliteStore is the directory's SQLite database (directory.db in
// Config.DataDir), the embedded default.
type sqliteStore struct {
	db *sql.DB
	// lookup is prepared once: GET identity/{ID} is the hot path.
	lookup *sql.Stmt
}

// openSQLiteStore opens (creating and migrating) the database at path.
func openSQLiteStore(ctx context.Context, path string) (*sqliteStore, error) {
	migrations, err := fs.Sub(sqliteMigrations, "migrations/sqlite")
	if err != nil {
		return nil, fmt.Errorf("directory: migrations: %w", err)
	}
	db, err := sqlitedb.Open(ctx, path, migrations)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	lookup, err := db.PrepareContext(ctx, `SELECT `+identityColumns+` FROM identities WHERE id = ?`)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("directory: prepare lookup: %w", err)
	}
	return &sqliteStore{db: db, lookup: lookup}, nil
}

func (s *sqliteStore) close() error {
	_ = s.lookup.Close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("directory: close store: %w", err)
	}
	return nil
}

func (s *sqliteStore) insertIdentity(ctx context.Context, id string, pub cryptobox.PublicKey, now time.Time) error {
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO identities(id, public_key, created_at) VALUES (?, ?, ?)`,
		id, pub[:], now.Unix())
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "identities.public_key"):
		return wire.ErrKeyInUse
	case strings.Contains(msg, "identities.id"):
		return errDuplicateID
	}
	return fmt.Errorf("directory: insert identity: %w", err)
}

func (s *sqliteStore) keyRegistered(ctx context.Context, pub cryptobox.PublicKey) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM identities WHERE public_key = ?`, pub[:]).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("directory: key registered: %w", err)
	}
	return n > 0, nil
}

func (s *sqliteStore) identity(ctx context.Context, id string) (wire.Identity, error) {
	row := s.lookup.QueryRowContext(ctx, id)
	it, err := scanIdentity(row)
	if errors.Is(err, sql.ErrNoRows) {
		return wire.Identity{}, wire.ErrNotFound
	}
	if err != nil {
		return wire.Identity{}, fmt.Errorf("directory: read identity: %w", err)
	}
	return it, nil
}

func (s *sqliteStore) identities(ctx context.Context, ids []string) (map[string]wire.Identity, error) {
	out := make(map[string]wire.Identity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := `SELECT ` + identityColumns + ` FROM identities WHERE id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	list, err := s.queryIdentities(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: read identities: %w", err)
	}
	for _, it := range list {
		out[it.ID] = it
	}
	return out, nil
}

func (s *sqliteStore) listIdentities(ctx context.Context, after string, limit int) ([]wire.Identity, error) {
	out, err := s.queryIdentities(ctx,
		`SELECT `+identityColumns+` FROM identities WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("directory: list identities: %w", err)
	}
	return out, nil
}

// queryIdentities runs a query of identityColumns.
func (s *sqliteStore) queryIdentities(ctx context.Context, q string, args ...any) ([]wire.Identity, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []wire.Identity
	for rows.Next() {
		it, err := scanIdentity(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func (s *sqliteStore) setFeatureMask(ctx context.Context, id string, mask uint64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE identities SET feature_mask = ? WHERE id = ?`, int64(mask), id)
	return checkUpdated(res, err, "set feature mask")
}

func (s *sqliteStore) revoke(ctx context.Context, id string, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `UPDATE identities SET state = ?, revoked_at = ? WHERE id = ?`,
		int(wire.StateInvalid), now.Unix(), id)
	if err := checkUpdated(res, err, "revoke"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM contact_hashes WHERE identity = ?`, id); err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	return nil
}

func checkUpdated(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	if n == 0 {
		return wire.ErrNotFound
	}
	return nil
}
