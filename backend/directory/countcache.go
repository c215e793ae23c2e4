package directory

import (
	"time"

	"github.com/kurier/kurier/internal/ttlcache"
)

// countCacheTTL is how long a count read from PostgreSQL is kept: the admin
// metrics read Stats once per gauge, which then costs one query a scrape.
const countCacheTTL = time.Second

// countCache keeps a count read from PostgreSQL for countCacheTTL.
type countCache = ttlcache.Value[int]
