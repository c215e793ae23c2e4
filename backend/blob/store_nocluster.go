//go:build nocluster

package blob

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/internal/pgdb"
)

// openClusterStore refuses: this build keeps blobs in files only.
func openClusterStore(context.Context, Config) (blobStore, error) {
	return nil, fmt.Errorf("blob: %w", pgdb.ErrNotBuilt)
}
