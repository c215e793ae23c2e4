package blob

import (
	"time"

	"github.com/kurier/kurier/internal/ttlcache"
)

// usageCacheTTL is how long a shared store keeps the totals it read (S3
// keeps them longer: s3UsageTTL).
const usageCacheTTL = time.Second

// usageCache keeps a shared store's totals for its TTL, so that neither a
// metrics scrape (which reads Stats once per gauge) nor the watermark check
// of every upload costs a scan each time. The node's own commits and
// deletions are added at once (add); other nodes' show within the TTL.
type usageCache struct{ ttlcache.Value[storeUsage] }

// add applies a change this node made to the cached totals.
func (c *usageCache) add(d storeUsage) {
	c.Update(func(u storeUsage) storeUsage {
		return storeUsage{blobs: max(u.blobs+d.blobs, 0), bytes: max(u.bytes+d.bytes, 0)}
	})
}
