//go:build !nocluster

package directory

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	wire "github.com/kurier/kurier/protocol/directory"
)

func (s *postgresStore) linkHashes(ctx context.Context, id, kind string, hashes [][]byte) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("directory: link %s: %w", kind, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, `DELETE FROM directory_contact_hashes WHERE identity = $1 AND kind = $2`, id, kind); err != nil {
		return fmt.Errorf("directory: link %s: %w", kind, err)
	}
	if len(hashes) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO directory_contact_hashes (hash, kind, identity)
			SELECT h, $2, $3 FROM unnest($1::bytea[]) AS h ON CONFLICT DO NOTHING`, hashes, kind, id); err != nil {
			return fmt.Errorf("directory: link %s: %w", kind, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("directory: link %s: %w", kind, err)
	}
	return nil
}

func (s *postgresStore) matchHashes(ctx context.Context, kind string, hashes [][]byte, includeInactive bool) ([]hashMatch, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	states := []int{int(wire.StateActive)}
	if includeInactive {
		states = append(states, int(wire.StateInactive))
	}
	rows, err := s.pool.Query(ctx, `SELECT i.id, i.public_key, i.feature_mask, i.state, i.type, h.hash
		FROM directory_contact_hashes h JOIN directory_identities i ON i.id = h.identity
		WHERE h.kind = $1 AND i.state = ANY($2) AND h.hash = ANY($3::bytea[])
		ORDER BY i.id`, kind, states, hashes)
	if err != nil {
		return nil, fmt.Errorf("directory: match: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hashMatch, error) { return scanMatch(r, kind) })
	if err != nil {
		return nil, fmt.Errorf("directory: match: %w", err)
	}
	return out, nil
}
