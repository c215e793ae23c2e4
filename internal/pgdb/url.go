package pgdb

import (
	"errors"
	"strings"
)

// ErrNotBuilt is what a build without the cluster's storage (-tags
// nocluster: the desktop, whose embedded backend keeps its data in SQLite
// and files) answers a postgres:// or s3:// URL with.
var ErrNotBuilt = errors.New("this build has no PostgreSQL or S3 storage (it was built with -tags nocluster): run kurier-backend for a cluster")

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://), as --database and KURIER_DATABASE_URL take it.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}
