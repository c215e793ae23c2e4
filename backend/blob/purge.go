package blob

import (
	"context"
	"fmt"
	"time"
)

// Purge deletes every blob older than the retention time and reports how
// many it deleted. Run calls it every PurgeInterval; the admin API may too.
// On a shared store (Config.Database or S3) it deletes every node's expired
// blobs, and uploads a crashed node abandoned.
func (s *Server) Purge() (int, error) {
	return s.purge(context.Background())
}

// purge is Purge, given up when ctx ends.
func (s *Server) purge(ctx context.Context) (int, error) {
	n, err := s.store.purge(ctx, s.cfg.Now().Add(-s.cfg.Retention))
	s.purged.Add(uint64(n))
	if err != nil {
		return n, fmt.Errorf("blob: purge: %w", err)
	}
	if n > 0 {
		s.log.Info("expired blobs purged", "count", n)
	}
	return n, nil
}

// purgeLoop purges at start and then every PurgeInterval until ctx ends.
func (s *Server) purgeLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.PurgeInterval)
	defer t.Stop()
	for {
		if _, err := s.purge(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("purge failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
