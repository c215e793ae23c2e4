//go:build !nocluster

package directory

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kurier/kurier/internal/pgdb"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

//go:embed migrations/postgres/*.sql
var postgresMigrations embed.FS

// postgresStore is the directory on PostgreSQL, which several directory
// nodes may share: every method is one statement or one transaction, so
// what one node writes the others read at once.
type postgresStore struct {
	pool *pgxpool.Pool
}

// openPostgresStore connects to url and migrates the directory tables.
func openPostgresStore(ctx context.Context, url string) (*postgresStore, error) {
	migrations, err := fs.Sub(postgresMigrations, "migrations/postgres")
	if err != nil {
		return nil, fmt.Errorf("directory: migrations: %w", err)
	}
	pool, err := pgdb.Open(ctx, url, "directory", migrations)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return &postgresStore{pool: pool}, nil
}

func (s *postgresStore) close() error {
	s.pool.Close()
	return nil
}

// uniqueViolation is PostgreSQL's SQLSTATE for a unique constraint.
const uniqueViolation = "23505"

func (s *postgresStore) insertIdentity(ctx context.Context, id string, pub cryptobox.PublicKey, now time.Time) error {
	_, err := s.pool.Exec(ctx,
		`INSERT INTO directory_identities (id, public_key, created_at) VALUES ($1, $2, $3)`,
		id, pub[:], now.Unix())
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		switch pgErr.ConstraintName {
		case "directory_identities_public_key_key":
			return wire.ErrKeyInUse
		case "directory_identities_id_key":
			return errDuplicateID
		}
	}
	return fmt.Errorf("directory: insert identity: %w", err)
}

func (s *postgresStore) keyRegistered(ctx context.Context, pub cryptobox.PublicKey) (bool, error) {
	var used bool
	err := s.pool.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM directory_identities WHERE public_key = $1)`, pub[:]).Scan(&used)
	if err != nil {
		return false, fmt.Errorf("directory: key registered: %w", err)
	}
	return used, nil
}

func (s *postgresStore) identity(ctx context.Context, id string) (wire.Identity, error) {
	it, err := scanIdentity(s.pool.QueryRow(ctx,
		`SELECT `+identityColumns+` FROM directory_identities WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return wire.Identity{}, wire.ErrNotFound
	}
	if err != nil {
		return wire.Identity{}, fmt.Errorf("directory: read identity: %w", err)
	}
	return it, nil
}

func (s *postgresStore) identities(ctx context.Context, ids []string) (map[string]wire.Identity, error) {
	out := make(map[string]wire.Identity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := s.queryIdentities(ctx,
		`SELECT `+identityColumns+` FROM directory_identities WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("directory: read identities: %w", err)
	}
	for _, it := range list {
		out[it.ID] = it
	}
	return out, nil
}

func (s *postgresStore) listIdentities(ctx context.Context, after string, limit int) ([]wire.Identity, error) {
	out, err := s.queryIdentities(ctx, `SELECT `+identityColumns+` FROM directory_identities
		WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("directory: list identities: %w", err)
	}
	return out, nil
}

// queryIdentities runs a query of identityColumns.
func (s *postgresStore) queryIdentities(ctx context.Context, q string, args ...any) ([]wire.Identity, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (wire.Identity, error) { return scanIdentity(r) })
}

func (s *postgresStore) setFeatureMask(ctx context.Context, id string, mask uint64) error {
	tag, err := s.pool.Exec(ctx, `UPDATE directory_identities SET feature_mask = $1 WHERE id = $2`, int64(mask), id)
	return checkTag(tag, err, "set feature mask")
}

func (s *postgresStore) revoke(ctx context.Context, id string, now time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tag, err := tx.Exec(ctx, `UPDATE directory_identities SET state = $1, revoked_at = $2 WHERE id = $3`,
		int(wire.StateInvalid), now.Unix(), id)
	if err := checkTag(tag, err, "revoke"); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM directory_contact_hashes WHERE identity = $1`, id); err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	return nil
}

// checkTag is checkUpdated for pgx: ErrNotFound when no row changed.
func checkTag(tag pgconn.CommandTag, err error, what string) error {
	if err != nil {
		return fmt.Errorf("directory: %s: %w", what, err)
	}
	if tag.RowsAffected() == 0 {
		return wire.ErrNotFound
	}
	return nil
}
