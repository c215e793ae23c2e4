package chat

import (
	"context"
	"testing"
)

// countingDuring is a real queue store whose count runs during first, as a
// commit of this node landing while the count is under way.
type countingDuring struct {
	queueStore
	during func()
}

func (c countingDuring) count(ctx context.Context) (int64, error) {
	n, err := c.queueStore.count(ctx)
	c.during()
	return n, err
}

// TestRefreshQueueDepthKeepsChangesMadeWhileCounting: messages this node
// stores or removes while the refresh counts stay in the gauge. Storing the
// count alone undid them until the next refresh (CI saw a drained queue's
// gauge at 137).
func TestRefreshQueueDepthKeepsChangesMadeWhileCounting(t *testing.T) {
	m := &metrics{}
	m.addDepth(5)
	s := &Server{m: m, st: countingDuring{queueStore: openTestStore(t), during: func() { m.addDepth(2) }}}
	s.refreshQueueDepth(context.Background())
	// The store held nothing when counted; two messages came after.
	if got := m.queueDepth.Load(); got != 2 {
		t.Fatalf("queue depth gauge %d after the refresh, want 2", got)
	}
}
