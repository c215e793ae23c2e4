package phonelink

import (
	"bytes"
	"context"
	"fmt"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// Bounds of the cache of sent messages kept for resume (as the phone's).
const (
	// MaxResumeMessages bounds the unacknowledged messages kept.
	MaxResumeMessages = wc.DefaultResumeMessages
	// MaxResumeBytes bounds their bytes.
	MaxResumeBytes = wc.DefaultResumeBytes
)

// ResumeState is what an ended connection leaves for the next one to resume
// it: its id, how many messages it received, what it sent that the phone
// has not acknowledged, and the requests still waiting for their replies.
type ResumeState struct {
	id       []byte
	received uint32
	out      *wc.OutCache
	pending  map[string]*waiter
	framing  *wc.Framing
}

// Abandon fails the requests that were waiting: the next connection starts
// fresh.
func (r *ResumeState) Abandon() {
	if r == nil {
		return
	}
	for _, w := range r.pending {
		close(w.reply)
	}
	r.pending = nil
}

// ResumeState returns what the ended connection leaves for a resume, or nil
// when it cannot be resumed (it was closed on purpose, the phone ended the
// session, or the cache overflowed). Call it once, after Done.
func (c *Conn) ResumeState() *ResumeState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parked == nil {
		return nil
	}
	r := c.parked
	c.parked = nil
	return r
}

// Resumed reports whether this connection resumed the previous one: the
// phone replayed what the desktop had missed, so no re-sync is needed.
func (c *Conn) Resumed() bool { return c.resumed }

// resumeInfo is our connectionInfo's resume part for prev.
func resumeInfo(prev *ResumeState) *wc.ResumeInfo {
	if prev == nil || len(prev.id) == 0 {
		return nil
	}
	return &wc.ResumeInfo{ID: bytes.Clone(prev.id), SequenceNumber: prev.received}
}

// replay sends again what prev sent after the phone's sequence number; they
// count anew on the new connection.
func (c *Conn) replay(ctx context.Context, prev *ResumeState, theirs uint32) error {
	msgs, ok := prev.out.After(theirs)
	if !ok {
		return fmt.Errorf("%w: the phone asks to resume from message %d, sent %d, acknowledged %d", ErrHandshake, theirs, prev.out.Sent(), prev.out.Acked())
	}
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	for _, u := range msgs {
		if err := c.sendUnitLocked(ctx, u, true); err != nil {
			return fmt.Errorf("phonelink: replay: %w", err)
		}
	}
	return nil
}
