//go:build nocluster

package directory

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/internal/pgdb"
)

// openPostgresState refuses: this build keeps the directory in SQLite only.
func openPostgresState(context.Context, Config) (state, error) {
	return state{}, fmt.Errorf("directory: %w", pgdb.ErrNotBuilt)
}
