package directory

import "github.com/kurier/kurier/internal/ratelimit"

// limitClass is an endpoint class with its own per-IP budget; its value is
// the class index in the ratelimit.Table.
type limitClass = int

const (
	// classGeneral is charged by every request.
	classGeneral limitClass = iota
	// classLookup is charged in addition by the enumeration targets.
	classLookup
	// classMatchHashes is charged by identity/match with one token per hash,
	// so that a client cannot probe the phone number space with full batches.
	classMatchHashes
	numClasses
)

func newLimiterTable(general, lookup, matchHashes RateLimit, maxIPs int) *ratelimit.Table {
	return ratelimit.NewTable(maxIPs, general, lookup, matchHashes)
}
