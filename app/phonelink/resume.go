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
	MaxResumeMessages = 1000
	// MaxResumeBytes bounds their bytes.
	MaxResumeBytes = 4 << 20
)

// sentMessage is a message we sent and the phone has not acknowledged.
type sentMessage struct {
	seq uint32
	b   []byte
}

// outCache holds what a connection sent, for resume (protocols.md §2.3,
// docs/phone.md "connectionAck and resume"): sequence numbers count whole
// messages per direction from 1 (connectionInfo); connectionInfo,
// connectionAck and connectionDisconnect count but are never replayed.
type outCache struct {
	sent     uint32 // messages sent on this connection
	acked    uint32 // the phone's latest acknowledgement
	msgs     []sentMessage
	bytes    int
	overflow bool // past a bound: this connection cannot be resumed
}

// add records a sent message (seq = sent after the increment).
func (o *outCache) add(m wc.WireMessage, b []byte) {
	o.sent++
	if isControl(m) || o.overflow {
		return
	}
	o.msgs = append(o.msgs, sentMessage{seq: o.sent, b: b})
	o.bytes += len(b)
	if len(o.msgs) > MaxResumeMessages || o.bytes > MaxResumeBytes {
		o.overflow, o.msgs, o.bytes = true, nil, 0
	}
}

// ack drops what the phone says it received (messages 1..n).
func (o *outCache) ack(n uint32) bool {
	if n > o.sent || n < o.acked {
		return false
	}
	o.acked = n
	i := 0
	for i < len(o.msgs) && o.msgs[i].seq <= n {
		o.bytes -= len(o.msgs[i].b)
		i++
	}
	o.msgs = o.msgs[i:]
	return true
}

func isControl(m wc.WireMessage) bool {
	switch m.SubType {
	case wc.SubConnectionInfo, wc.SubConnectionAck, wc.SubConnectionDisconnect:
		return m.Type == wc.TypeUpdate || m.Type == wc.TypeRequest
	}
	return false
}

// ResumeState is what an ended connection leaves for the next one to resume
// it: its id, how many messages it received, what it sent that the phone
// has not acknowledged, and the requests still waiting for their replies.
type ResumeState struct {
	id       []byte
	received uint32
	out      outCache
	pending  map[string]chan wc.WireMessage
}

// Abandon fails the requests that were waiting: the next connection starts
// fresh.
func (r *ResumeState) Abandon() {
	if r == nil {
		return
	}
	for _, ch := range r.pending {
		close(ch)
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
	if theirs > prev.out.sent || theirs < prev.out.acked {
		return fmt.Errorf("%w: the phone asks to resume from message %d, sent %d, acknowledged %d", ErrHandshake, theirs, prev.out.sent, prev.out.acked)
	}
	for _, m := range prev.out.msgs {
		if m.seq <= theirs {
			continue
		}
		w, err := wc.Decode(m.b)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrHandshake, err)
		}
		if err := c.sendEncoded(ctx, w, m.b); err != nil {
			return err
		}
	}
	return nil
}
