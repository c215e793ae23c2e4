package blob

import (
	"context"
	"sync"
	"time"
)

// usageCacheTTL is how long a usageCache keeps the totals it read.
const usageCacheTTL = time.Second

// usageCache keeps the shared store's totals for a second (or ttl), so that neither
// a metrics scrape (which reads Stats once per gauge) nor the watermark
// check of every upload read costs a scan each time. The node's own
// commits and deletions are added at once; other nodes' show within a
// second.
type usageCache struct {
	ttl time.Duration // zero: usageCacheTTL
	mu  sync.Mutex
	at  time.Time
	u   storeUsage
}

// get returns the cached totals, or reads them anew with read when stale.
// On a failed read it returns the last totals with the error.
func (c *usageCache) get(ctx context.Context, read func(context.Context) (storeUsage, error)) (storeUsage, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ttl := c.ttl
	if ttl == 0 {
		ttl = usageCacheTTL
	}
	if !c.at.IsZero() && time.Since(c.at) < ttl {
		return c.u, nil
	}
	u, err := read(ctx)
	c.at = time.Now() // a failed read, too, is retried a second later
	if err != nil {
		return c.u, err
	}
	c.u = u
	return u, nil
}

// add applies a change this node made to the cached totals.
func (c *usageCache) add(d storeUsage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.u.blobs = max(c.u.blobs+d.blobs, 0)
	c.u.bytes = max(c.u.bytes+d.bytes, 0)
}
