package webclient

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Back-off of KeepConnected between failed dials.
const (
	keepBackoffStart = 500 * time.Millisecond
	keepBackoffMax   = 10 * time.Second
)

// KeepConnected keeps the phone available to its permanent desktop
// sessions until ctx ends or the Server is closed. Whenever no session is
// active and a permanent session is stored, it reconnects (trusted-key
// mode, as Reconnect) the one seen most recently. The dial waits at the
// signaling server until the desktop comes as initiator, so a long pending
// dial is normal; it is cancelled when ctx ends, on Close, and when another
// session starts or the stored sessions change (it then picks again). A
// failed dial is retried after a back-off of 500 ms doubling to 10 s, with
// ±20 % jitter, reset once a session was established. When a session ends
// it dials again as soon as the Server has let go of it, except for
// sessions the desktop left with connectionDisconnect "stop" or "disable"
// (held back until a new session is paired or Reconnect is called for it)
// or "delete" and revoked sessions (deleted). A second concurrent call
// waits until the first returns.
func (s *Server) KeepConnected(ctx context.Context) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.ctx, cancel)()
	select {
	case s.keeper <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-s.keeper }()

	log := s.log.With("keeper", true)
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		changed := s.changes()
		if s.hasSession() {
			// A session was established. When it ends, ended clears it and
			// notifies: dialling before that would be cancelled by the
			// notification, perhaps after the desktop had already answered.
			backoff = 0
			select {
			case <-changed:
			case <-ctx.Done():
			}
			continue
		}
		id, err := s.nextPermanent(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("listing desktop sessions", "err", err)
			}
			backoff = keepBackoffMax
		} else if id == "" {
			select {
			case <-changed:
			case <-ctx.Done():
			}
			continue
		}
		if backoff > 0 {
			t := time.NewTimer(jitter(backoff))
			select {
			case <-t.C:
			case <-changed:
				t.Stop()
				continue
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
		if id == "" {
			continue
		}
		err = s.dialUntilChanged(ctx, changed, id)
		switch {
		case err == nil:
			backoff = 0
		case ctx.Err() != nil:
			return
		case errors.Is(err, context.Canceled), errors.Is(err, errBusy), errors.Is(err, ErrSessionNotFound):
			// Something changed while dialling: pick again.
		default:
			backoff = min(max(2*backoff, keepBackoffStart), keepBackoffMax)
			log.Info("desktop reconnect failed", "session", id, "retry_in", backoff, "err", err)
		}
	}
}

// hasSession reports whether a session is active or ended but not yet
// cleared by ended.
func (s *Server) hasSession() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active != nil
}

// dialUntilChanged reconnects session id, giving up when changed is closed.
func (s *Server) dialUntilChanged(ctx context.Context, changed <-chan struct{}, id string) error {
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop, watched := make(chan struct{}), make(chan struct{})
	defer func() {
		close(stop)
		<-watched
	}()
	go func() {
		defer close(watched)
		select {
		case <-changed:
			cancel()
		case <-stop:
		}
	}()
	s.log.Debug("waiting for desktop", "session", id)
	_, err := s.reconnect(dctx, id, false)
	return err
}

// nextPermanent is the permanent session seen most recently that is not
// held back, or "".
func (s *Server) nextPermanent(ctx context.Context) (string, error) {
	ds, err := s.p.Store().DesktopSessions(ctx)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		best string
		seen time.Time
	)
	for _, d := range ds {
		if d.Permanent && !s.held[d.ID] && (best == "" || d.LastSeen.After(seen)) {
			best, seen = d.ID, d.LastSeen
		}
	}
	return best, nil
}

// jitter spreads d by ±20 %.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}
