//go:build nocluster

package chat

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/internal/pgdb"
)

// openPostgresStore refuses: this build keeps the queue in SQLite only.
func openPostgresStore(context.Context, string, string) (queueStore, error) {
	return nil, fmt.Errorf("chat: %w", pgdb.ErrNotBuilt)
}
