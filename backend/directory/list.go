package directory

import (
	"context"
	"fmt"
)

// MaxListPage bounds one page of ListIdentities.
const MaxListPage = 1000

// ListIdentities returns up to limit identities with IDs after the given one,
// in ID order, for operators and QA (the admin API); it is not exposed on the
// directory's public HTTP API, where it would hand out the whole user list.
func (s *Server) ListIdentities(ctx context.Context, after string, limit int) ([]Identity, error) {
	if limit <= 0 || limit > MaxListPage {
		limit = MaxListPage
	}
	rows, err := s.store.db.QueryContext(ctx,
		`SELECT `+identityColumns+` FROM identities WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("directory: list identities: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Identity
	for rows.Next() {
		it, err := scanIdentity(rows)
		if err != nil {
			return nil, fmt.Errorf("directory: list identities: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: list identities: %w", err)
	}
	return out, nil
}
