package directory

import (
	"context"
	"fmt"
	"strings"

	wire "github.com/kurier/kurier/protocol/directory"
)

func (s *sqliteStore) linkHashes(ctx context.Context, id, kind string, hashes [][]byte) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("directory: link %s: %w", kind, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `DELETE FROM contact_hashes WHERE identity = ? AND kind = ?`, id, kind); err != nil {
		return fmt.Errorf("directory: link %s: %w", kind, err)
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx,
			`INSERT OR IGNORE INTO contact_hashes(hash, kind, identity) VALUES (?, ?, ?)`, h, kind, id); err != nil {
			return fmt.Errorf("directory: link %s: %w", kind, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("directory: link %s: %w", kind, err)
	}
	return nil
}

func (s *sqliteStore) matchHashes(ctx context.Context, kind string, hashes [][]byte, includeInactive bool) ([]hashMatch, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(hashes)+3)
	args = append(args, kind, int(wire.StateActive), int(wire.StateActive))
	if includeInactive {
		args[2] = int(wire.StateInactive)
	}
	for _, h := range hashes {
		args = append(args, h)
	}
	q := `SELECT i.id, i.public_key, i.feature_mask, i.state, i.type, h.hash
		FROM contact_hashes h JOIN identities i ON i.id = h.identity
		WHERE h.kind = ? AND i.state IN (?, ?) AND h.hash IN (?` + strings.Repeat(",?", len(hashes)-1) + `)
		ORDER BY i.id`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: match: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []hashMatch
	for rows.Next() {
		m, err := scanMatch(rows, kind)
		if err != nil {
			return nil, fmt.Errorf("directory: match: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: match: %w", err)
	}
	return out, nil
}

// scanMatch reads one row of a match query: the identityColumns, then the hash.
func scanMatch(r rowScanner, kind string) (hashMatch, error) {
	var (
		m    hashMatch
		pub  []byte
		mask int64
	)
	if err := r.Scan(&m.identity.ID, &pub, &mask, &m.identity.State, &m.identity.Type, &m.hash); err != nil {
		return hashMatch{}, err
	}
	copy(m.identity.PublicKey[:], pub)
	m.identity.FeatureMask = uint64(mask)
	m.kind = kind
	return m, nil
}
