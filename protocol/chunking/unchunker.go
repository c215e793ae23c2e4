package chunking

import (
	"fmt"
	"time"
)

// Defaults of Limits.
const (
	// DefaultMaxMessageSize bounds one reassembled message: 64 MiB, above the
	// largest file Threema Web sends over the data channel (§2.1).
	DefaultMaxMessageSize = 64 << 20
	// DefaultMaxBufferedBytes bounds the bytes held by incomplete messages.
	DefaultMaxBufferedBytes = 64 << 20
	// DefaultMaxIncompleteMessages bounds the messages being reassembled at once.
	DefaultMaxIncompleteMessages = 64
	// DefaultMaxAge is how long an incomplete message may go without a new
	// chunk before garbage collection drops it (§1.10: "should clean up").
	DefaultMaxAge = time.Minute

	// chunkOverhead is what one stored chunk costs beyond its data (slice
	// header and map entry), counted against MaxBufferedBytes so that a flood
	// of one-byte chunks cannot exhaust memory.
	chunkOverhead = 64
)

// Limits bound an Unchunker. Zero fields take the defaults.
type Limits struct {
	// MaxMessageSize bounds the data of one message.
	MaxMessageSize int
	// MaxBufferedBytes bounds the data (plus a small per-chunk overhead) of
	// all incomplete messages together.
	MaxBufferedBytes int
	// MaxIncompleteMessages bounds the messages being reassembled at once
	// (unreliable/unordered mode; reliable/ordered has at most one).
	MaxIncompleteMessages int
	// MaxAge is how long an incomplete message may wait for its next chunk
	// before GC drops it.
	MaxAge time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.MaxMessageSize <= 0 {
		l.MaxMessageSize = DefaultMaxMessageSize
	}
	if l.MaxBufferedBytes <= 0 {
		l.MaxBufferedBytes = DefaultMaxBufferedBytes
	}
	if l.MaxIncompleteMessages <= 0 {
		l.MaxIncompleteMessages = DefaultMaxIncompleteMessages
	}
	if l.MaxAge <= 0 {
		l.MaxAge = DefaultMaxAge
	}
	return l
}

// partial is a message being reassembled.
type partial struct {
	chunks  map[uint32][]byte // serial → data
	size    int               // data bytes held
	maxSeen uint32            // highest serial held
	end     int64             // serial of the end-of-message chunk, or -1
	touched time.Time         // when the last chunk arrived
}

// Unchunker reassembles messages from chunks of one mode (§1.10). In
// unreliable/unordered mode chunks may come in any order and interleaved; in
// reliable/ordered mode they must come in order. It is not safe for
// concurrent use.
//
// A chunk that fails (malformed, duplicate, over a limit) is not stored and
// leaves the unchunker usable; a protocol will usually close the channel.
type Unchunker struct {
	mode     Mode
	lim      Limits
	msgs     map[uint32]*partial // unreliable/unordered
	ordered  []byte              // reliable/ordered: the message so far
	buffered int                 // bytes counted against MaxBufferedBytes
}

// NewUnchunker returns an unchunker for mode with the given limits.
func NewUnchunker(mode Mode, lim Limits) (*Unchunker, error) {
	if mode.HeaderSize() == 0 {
		return nil, fmt.Errorf("%w: %d", ErrMode, uint8(mode))
	}
	return &Unchunker{mode: mode, lim: lim.withDefaults(), msgs: make(map[uint32]*partial)}, nil
}

// Buffered is the bytes held by incomplete messages (with per-chunk overhead).
func (u *Unchunker) Buffered() int { return u.buffered }

// Incomplete is the number of messages being reassembled.
func (u *Unchunker) Incomplete() int {
	if u.mode == ReliableOrdered {
		if len(u.ordered) > 0 {
			return 1
		}
		return 0
	}
	return len(u.msgs)
}

// Add takes one chunk received at now. It returns the whole message when
// this chunk completed one, nil otherwise. The chunk is copied; the message
// returned is the caller's.
func (u *Unchunker) Add(chunk []byte, now time.Time) ([]byte, error) {
	h, data, err := ParseChunk(u.mode, chunk)
	if err != nil {
		return nil, err
	}
	if u.mode == ReliableOrdered {
		return u.addOrdered(h, data)
	}
	p := u.msgs[h.MessageID]
	if p == nil {
		if h.Serial == 0 && h.End { // a whole message in one chunk: no bookkeeping
			if len(data) > u.lim.MaxMessageSize {
				return nil, fmt.Errorf("%w: %d bytes", ErrMessageTooLarge, len(data))
			}
			return append([]byte(nil), data...), nil
		}
		if len(u.msgs) >= u.lim.MaxIncompleteMessages {
			u.GC(now)
			if len(u.msgs) >= u.lim.MaxIncompleteMessages {
				return nil, fmt.Errorf("%w: %d", ErrTooManyMessages, len(u.msgs))
			}
		}
		p = &partial{chunks: make(map[uint32][]byte), end: -1}
	}
	if err := u.check(p, h, len(data), now); err != nil {
		return nil, err
	}
	if len(p.chunks) == 0 {
		u.msgs[h.MessageID] = p
	}
	p.chunks[h.Serial] = append([]byte(nil), data...)
	p.size += len(data)
	p.maxSeen = max(p.maxSeen, h.Serial)
	p.touched = now
	u.buffered += len(data) + chunkOverhead
	if h.End {
		p.end = int64(h.Serial)
	}
	if p.end < 0 || int64(len(p.chunks)) != p.end+1 {
		return nil, nil
	}
	msg := make([]byte, 0, p.size)
	for s := range uint32(p.end) + 1 {
		msg = append(msg, p.chunks[s]...)
	}
	u.drop(h.MessageID, p)
	return msg, nil
}

// check validates a chunk of data bytes against its message and the limits.
func (u *Unchunker) check(p *partial, h Header, n int, now time.Time) error {
	if _, dup := p.chunks[h.Serial]; dup {
		return fmt.Errorf("%w: message %d serial %d", ErrDuplicateChunk, h.MessageID, h.Serial)
	}
	switch {
	case p.end >= 0 && int64(h.Serial) > p.end:
		return fmt.Errorf("%w: serial %d after the last chunk %d", ErrSerial, h.Serial, p.end)
	case h.End && p.end >= 0:
		return fmt.Errorf("%w: second end of message %d", ErrSerial, h.MessageID)
	case h.End && len(p.chunks) > 0 && p.maxSeen > h.Serial:
		return fmt.Errorf("%w: end at %d before serial %d", ErrSerial, h.Serial, p.maxSeen)
	case int64(h.Serial) >= int64(u.lim.MaxMessageSize) || p.size+n > u.lim.MaxMessageSize:
		// Each chunk carries at least one byte, so the serial bounds the size too.
		return fmt.Errorf("%w: over %d bytes", ErrMessageTooLarge, u.lim.MaxMessageSize)
	}
	if u.buffered+n+chunkOverhead > u.lim.MaxBufferedBytes {
		u.GC(now)
		if u.buffered+n+chunkOverhead > u.lim.MaxBufferedBytes {
			return fmt.Errorf("%w: %d bytes held", ErrBufferFull, u.buffered)
		}
	}
	return nil
}

// addOrdered appends a reliable/ordered chunk to the current message.
func (u *Unchunker) addOrdered(h Header, data []byte) ([]byte, error) {
	if len(u.ordered)+len(data) > u.lim.MaxMessageSize {
		return nil, fmt.Errorf("%w: over %d bytes", ErrMessageTooLarge, u.lim.MaxMessageSize)
	}
	if len(u.ordered)+len(data) > u.lim.MaxBufferedBytes {
		return nil, fmt.Errorf("%w: %d bytes held", ErrBufferFull, len(u.ordered))
	}
	if h.End && len(u.ordered) == 0 {
		return append([]byte(nil), data...), nil
	}
	u.ordered = append(u.ordered, data...)
	u.buffered = len(u.ordered)
	if !h.End {
		return nil, nil
	}
	msg := u.ordered
	u.ordered, u.buffered = nil, 0
	return msg, nil
}

// GC drops the incomplete unreliable/unordered messages that received no
// chunk for longer than MaxAge before now, and returns how many it dropped.
// Reliable/ordered reassembly is never dropped: its chunks cannot be lost.
func (u *Unchunker) GC(now time.Time) int {
	n := 0
	for id, p := range u.msgs {
		if now.Sub(p.touched) > u.lim.MaxAge {
			u.drop(id, p)
			n++
		}
	}
	return n
}

func (u *Unchunker) drop(id uint32, p *partial) {
	u.buffered -= p.size + len(p.chunks)*chunkOverhead
	delete(u.msgs, id)
}
