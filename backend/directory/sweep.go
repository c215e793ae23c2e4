package directory

import (
	"context"
	"errors"
	"time"
)

// sweepInterval is how often Run sweeps the rate-limit buckets and tokens
// of a PostgreSQL store (the in-memory ones sweep themselves).
const sweepInterval = time.Minute

// sweepLoop sweeps every sweepInterval until ctx ends. Every node sweeps;
// a row swept twice is deleted once.
func (s *Server) sweepLoop(ctx context.Context) {
	tick := time.NewTicker(sweepInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.sweep(ctx)
		}
	}
}

// sweep forgets the refilled buckets and the expired tokens once.
func (s *Server) sweep(ctx context.Context) {
	now := s.cfg.Now()
	err := errors.Join(s.limits.sweep(ctx, now), s.tokens.sweep(ctx, now))
	if err != nil && ctx.Err() == nil {
		s.log.Error("sweep of rate limits and tokens failed", "err", err)
	}
}
