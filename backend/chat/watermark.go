package chat

import (
	"context"
	"time"
)

// storeBytes is the queue's size on disk; an error counts as unchanged
// (the last figure stands).
func (s *Server) storeBytes(ctx context.Context) (int64, bool) {
	ctx, cancel := context.WithTimeout(ctx, storeQueryTimeout)
	defer cancel()
	n, err := s.st.sizeBytes(ctx)
	if err != nil {
		s.log.Warn("queue store size unknown", "err", err)
		return 0, false
	}
	return n, true
}

// refreshQueueDepth re-reads the queue depth gauge from the store: on a
// queue that other nodes write, this node's own deltas drift from it. The
// changes this node made while the store counted are added to the count:
// storing the count alone undid them (a drained queue read 137 until the
// next refresh).
func (s *Server) refreshQueueDepth(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, storeQueryTimeout)
	defer cancel()
	before := s.m.depthDeltas.Load()
	if n, err := s.st.count(ctx); err == nil {
		s.m.queueDepth.Store(n + s.m.depthDeltas.Load() - before)
	}
}

// watermarkLoop checks the queue's size on disk every StoreCheckInterval
// (and, on a shared queue, re-reads the depth gauge):
// above MaxStoreBytes the server takes no new messages (neither stored nor
// acked: the senders keep them) until deliveries and expiry bring it back
// under, so a flood cannot fill the disk under the queue.
func (s *Server) watermarkLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.StoreCheckInterval)
	defer t.Stop()
	for {
		if n, ok := s.storeBytes(ctx); ok {
			s.setStoreFull(n)
		}
		if s.cluster.st != nil {
			s.refreshQueueDepth(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// setStoreFull records whether n bytes are at the watermark, and logs a change.
func (s *Server) setStoreFull(n int64) {
	full := n >= s.cfg.MaxStoreBytes
	if was := s.storeFull.Swap(full); was != full {
		if full {
			s.log.Warn("queue store at its watermark: new messages are refused", "bytes", n, "watermark", s.cfg.MaxStoreBytes)
		} else {
			s.log.Info("queue store below its watermark again: messages are taken", "bytes", n)
		}
	}
}
