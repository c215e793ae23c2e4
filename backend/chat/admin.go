package chat

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/protocol/csp"
)

// ConnectedCount is the number of logged-in connections.
func (s *Server) ConnectedCount() int { return s.hub.len() }

// QueueDepth counts the unexpired messages queued for identity.
func (s *Server) QueueDepth(ctx context.Context, identity string) (int, error) {
	id, err := csp.ParseID(identity)
	if err != nil {
		return 0, fmt.Errorf("chat: queue depth: %w", err)
	}
	if s.stopped.Load() {
		return 0, ErrClosed
	}
	return s.st.depth(ctx, id.String(), s.cfg.Now().UnixMilli())
}

// Purge deletes every message queued for identity and returns how many went.
// It goes through the batcher, so it needs Run to be running.
func (s *Server) Purge(ctx context.Context, identity string) (int, error) {
	id, err := csp.ParseID(identity)
	if err != nil {
		return 0, fmt.Errorf("chat: purge: %w", err)
	}
	var n int64
	err = s.batch.exec(ctx, func(ctx context.Context, tx queueTx) error {
		var err error
		n, err = tx.purgeReceiver(ctx, id.String())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("chat: purge %s: %w", id, err)
	}
	s.m.addDepth(-n)
	s.log.Info("queue purged", "identity", id.String(), "count", n)
	return int(n), nil
}
