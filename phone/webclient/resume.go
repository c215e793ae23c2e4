package webclient

import (
	"context"
	"fmt"
	"time"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// Resume defaults (Config fields of the same names).
const (
	// DefaultResumeMessages bounds the unacknowledged messages kept for resume.
	DefaultResumeMessages = wc.DefaultResumeMessages
	// DefaultResumeBytes bounds their encoded size.
	DefaultResumeBytes = wc.DefaultResumeBytes
	// DefaultResumeWindow is how long a dropped connection stays resumable.
	DefaultResumeWindow = 2 * time.Minute
	// DefaultAckDelay is how long after traffic the phone sends update/connectionAck (§2.1: 10 s).
	DefaultAckDelay = 10 * time.Second
	// parkedEvents bounds the phone events queued for a parked connection.
	parkedEvents = 1000
)

// parked is what a connection that dropped leaves for the next one to
// resume (§2.3): its id, what the phone received and sent on it, and the
// event feed that kept collecting.
type parked struct {
	session string // the stored desktop session
	connID  [wc.ConnectionIDSize]byte
	inSeq   uint32
	out     *wc.OutCache
	feed    *feed
	shown   map[int64]struct{}
	framing *wc.Framing
	timer   *time.Timer
}

// discard ends the parked state for good.
func (p *parked) discard() {
	p.timer.Stop()
	p.feed.close()
}

// park keeps p until the next connection of the same desktop session takes
// it, another session starts, or the resume window passes.
func (s *Server) park(p *parked) {
	p.feed.park(parkedEvents)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		p.feed.close()
		return
	}
	if s.parked != nil {
		s.parked.discard()
	}
	s.parked = p
	p.timer = time.AfterFunc(s.cfg.ResumeWindow, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.parked == p {
			s.parked = nil
			p.feed.close()
			s.log.Info("resume window passed", "session", p.session)
		}
	})
}

// takeParked returns the parked state of the desktop session id, or nil;
// any other parked state is discarded, so is one whose feed overflowed.
func (s *Server) takeParked(id string) (*parked, int) {
	s.mu.Lock()
	p := s.parked
	s.parked = nil
	s.mu.Unlock()
	if p == nil {
		return nil, 0
	}
	p.timer.Stop()
	n, ok := p.feed.unpark()
	if p.session != id || !ok {
		p.feed.close()
		return nil, 0
	}
	return p, n
}

// dropParked discards any parked state (Close, Revoke).
func (s *Server) dropParked(id string) {
	s.mu.Lock()
	p := s.parked
	if p != nil && (id == "" || p.session == id) {
		s.parked = nil
	} else {
		p = nil
	}
	s.mu.Unlock()
	if p != nil {
		p.discard()
	}
}

// ourConnectionInfo is the phone's update/connectionInfo: it asks to resume
// only when it holds the previous connection of this desktop session with
// every unacknowledged message still cached.
func ourConnectionInfo(id [wc.ConnectionIDSize]byte, prev *parked) wc.ConnectionInfo {
	ci := wc.ConnectionInfo{ID: id[:]}
	if prev != nil && prev.out.Resumable() {
		ci.Resume = &wc.ResumeInfo{ID: prev.connID[:], SequenceNumber: prev.inSeq}
	}
	return ci
}

// resume applies the desktop's connectionInfo: with both sides asking to
// resume the same connection it replays the messages the desktop missed
// and keeps the previous feed and shown set; otherwise the connection starts
// fresh and the events queued while parked are dropped. A sequence number
// the cache cannot serve fails the connection (the phone already offered to
// resume, so a silent fresh start would leave the desktop with a gap).
func (s *Session) resume(ctx context.Context, ours, theirs wc.ConnectionInfo, prev *parked, queued int) (bool, error) {
	if prev == nil {
		return false, nil
	}
	if !wc.CanResume(ours, theirs) {
		s.feed.dropFirst(queued)
		return false, nil
	}
	replay, ok := prev.out.After(theirs.Resume.SequenceNumber)
	if !ok {
		return false, fmt.Errorf("%w: sequence number %d outside the cache (sent %d, acknowledged %d)",
			ErrResume, theirs.Resume.SequenceNumber, prev.out.Sent(), prev.out.Acked())
	}
	s.shown = prev.shown
	s.acksKnown = true // the connection it resumes had acks, so does this one
	for _, u := range replay {
		if err := s.sendUnit(ctx, u, true); err != nil {
			return false, err
		}
	}
	s.log.Info("connection resumed", "replayed", len(replay), "queued_events", queued)
	return true, nil
}
