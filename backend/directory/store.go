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
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// errDuplicateID is returned by insertIdentity when the drawn ID is taken.
var errDuplicateID = errors.New("directory: identity id taken")

// store is the directory's SQLite database, the only code touching SQL.
type store struct {
	db *sql.DB
	// lookup is prepared once: GET identity/{ID} is the hot path.
	lookup *sql.Stmt
}

func openStore(ctx context.Context, path string) (*store, error) {
	migrations, err := fs.Sub(migrationFiles, "migrations")
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
	return &store{db: db, lookup: lookup}, nil
}

func (s *store) close() error {
	_ = s.lookup.Close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("directory: close store: %w", err)
	}
	return nil
}

// insertIdentity registers a new identity. It fails with ErrKeyInUse when the
// key is registered, and errDuplicateID when the ID is taken.
func (s *store) insertIdentity(ctx context.Context, id string, pub cryptobox.PublicKey, now time.Time) error {
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO identities(id, public_key, created_at) VALUES (?, ?, ?)`,
		id, pub[:], now.Unix())
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "identities.public_key"):
		return ErrKeyInUse
	case strings.Contains(msg, "identities.id"):
		return errDuplicateID
	}
	return fmt.Errorf("directory: insert identity: %w", err)
}

// keyRegistered reports whether pub belongs to any identity, revoked or not.
func (s *store) keyRegistered(ctx context.Context, pub cryptobox.PublicKey) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM identities WHERE public_key = ?`, pub[:]).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("directory: key registered: %w", err)
	}
	return n > 0, nil
}

const identityColumns = `id, public_key, feature_mask, state, type`

type rowScanner interface{ Scan(dest ...any) error }

func scanIdentity(r rowScanner) (Identity, error) {
	var (
		it   Identity
		pub  []byte
		mask int64
	)
	if err := r.Scan(&it.ID, &pub, &mask, &it.State, &it.Type); err != nil {
		return Identity{}, err
	}
	k, err := cryptobox.ParsePublicKey(pub)
	if err != nil {
		return Identity{}, err
	}
	it.PublicKey = k
	it.FeatureMask = uint64(mask)
	return it, nil
}

// identity reads one identity, or ErrNotFound.
func (s *store) identity(ctx context.Context, id string) (Identity, error) {
	row := s.lookup.QueryRowContext(ctx, id)
	it, err := scanIdentity(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Identity{}, ErrNotFound
	}
	if err != nil {
		return Identity{}, fmt.Errorf("directory: read identity: %w", err)
	}
	return it, nil
}

// identities reads the known identities among ids, keyed by ID.
func (s *store) identities(ctx context.Context, ids []string) (map[string]Identity, error) {
	out := make(map[string]Identity, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := `SELECT ` + identityColumns + ` FROM identities WHERE id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: read identities: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		it, err := scanIdentity(rows)
		if err != nil {
			return nil, fmt.Errorf("directory: read identities: %w", err)
		}
		out[it.ID] = it
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: read identities: %w", err)
	}
	return out, nil
}

// setFeatureMask updates an identity's feature mask.
func (s *store) setFeatureMask(ctx context.Context, id string, mask uint64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE identities SET feature_mask = ? WHERE id = ?`, int64(mask), id)
	return checkUpdated(res, err, "set feature mask")
}

// revoke marks an identity invalid and drops its contact hashes.
func (s *store) revoke(ctx context.Context, id string, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("directory: revoke: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `UPDATE identities SET state = ?, revoked_at = ? WHERE id = ?`,
		int(StateInvalid), now.Unix(), id)
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
		return ErrNotFound
	}
	return nil
}
