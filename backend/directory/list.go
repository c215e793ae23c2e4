package directory

import (
	"context"

	wire "github.com/kurier/kurier/protocol/directory"
)

// MaxListPage bounds one page of ListIdentities.
const MaxListPage = 1000

// ListIdentities returns up to limit identities with IDs after the given one,
// in ID order, for operators and QA (the admin API); it is not exposed on the
// directory's public HTTP API, where it would hand out the whole user list.
func (s *Server) ListIdentities(ctx context.Context, after string, limit int) ([]wire.Identity, error) {
	if limit <= 0 || limit > MaxListPage {
		limit = MaxListPage
	}
	return s.store.listIdentities(ctx, after, limit)
}
