package chat

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/directory"
)

// Receiver checks (issue 14: a client sent 83,114 messages to random
// unregistered identities in 20 s, and every one was stored).
const (
	// knownTTL is how long a receiver the directory knows stays known
	// without asking again.
	knownTTL = 10 * time.Minute
	// maxKnown bounds the cache of known receivers (cleared when full).
	maxKnown = 100_000
)

// knownReceivers caches the identities the directory knows.
type knownReceivers struct {
	mu   sync.Mutex
	seen map[csp.ID]time.Time
}

// receiverKnown reports whether the directory knows id as an identity that
// can receive (not revoked). A message to any other is refused: it would
// only fill the disk. When the directory cannot be asked, the message is
// taken (the directory being down must not stop the chat).
func (s *Server) receiverKnown(ctx context.Context, id csp.ID) bool {
	now := s.cfg.Now()
	s.known.mu.Lock()
	at, ok := s.known.seen[id]
	s.known.mu.Unlock()
	if ok && now.Sub(at) < knownTTL {
		return true
	}
	ident, err := s.cfg.Directory.LookupIdentity(ctx, id.String())
	switch {
	case errors.Is(err, directory.ErrNotFound):
		return false
	case err != nil:
		s.log.Warn("receiver not checked: directory unavailable", "err", err)
		return true
	case ident.State == directory.StateInvalid:
		return false
	}
	s.known.mu.Lock()
	if s.known.seen == nil || len(s.known.seen) >= maxKnown {
		s.known.seen = make(map[csp.ID]time.Time)
	}
	s.known.seen[id] = now
	s.known.mu.Unlock()
	return true
}

// senderPace bounds what one connection sends, in messages and bytes.
type senderPace struct {
	msgs, bytes *rate.Limiter
}

func newSenderPace(cfg Config) senderPace {
	return senderPace{
		msgs:  rate.NewLimiter(rate.Limit(cfg.SenderRate), cfg.SenderBurst),
		bytes: rate.NewLimiter(rate.Limit(cfg.SenderBytesPerSecond), cfg.SenderBurstBytes),
	}
}

// pace waits until the connection may send one more message of n bytes:
// a sender over its rate is slowed down (its frames are read later), so
// the backpressure reaches it through TCP. It reports whether it waited.
func (c *conn) pace(n int) (bool, error) {
	now := time.Now()
	d := max(c.send.msgs.ReserveN(now, 1).DelayFrom(now), c.send.bytes.ReserveN(now, min(n, c.srv.cfg.SenderBurstBytes)).DelayFrom(now))
	if d <= 0 {
		return false, nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true, nil
	case <-c.ctx.Done():
		return true, c.ctx.Err()
	}
}
