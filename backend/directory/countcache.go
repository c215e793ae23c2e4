package directory

import (
	"context"
	"sync"
	"time"
)

// countCacheTTL is how long a countCache keeps a count.
const countCacheTTL = time.Second

// countCache keeps a count read from PostgreSQL for a second: the admin
// metrics read Stats once per gauge, which then costs one query a scrape.
type countCache struct {
	mu sync.Mutex
	at time.Time
	n  int
}

// get returns the cached count, or reads it anew with read when stale. On
// a failed read it returns the last count with the error.
func (c *countCache) get(ctx context.Context, read func(context.Context) (int, error)) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < countCacheTTL {
		return c.n, nil
	}
	n, err := read(ctx)
	if err != nil {
		return c.n, err
	}
	c.n, c.at = n, time.Now()
	return n, nil
}
