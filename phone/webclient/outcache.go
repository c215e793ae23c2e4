package webclient

// outCache keeps the messages the phone sent on one connection that the
// desktop has not acknowledged yet (§2.3 resume). Every message sent counts
// one sequence number, the first being 1; the desktop's sequenceNumber n
// (update/connectionAck or resume) says it received 1..n. Control messages
// (connectionInfo, connectionAck, connectionDisconnect) count but are never
// replayed. It is bounded by count and bytes: past either limit it gives up
// (overflowed) and the connection can no longer be resumed. Only the
// session loop touches it.
type outCache struct {
	maxCount, maxBytes int

	sent  uint32 // sequence number of the last message sent
	acked uint32 // the desktop's highest acknowledgement
	items []cachedMessage
	bytes int

	overflowed   bool
	ackRequested bool // a request/connectionAck is outstanding
}

// cachedMessage is one sent message; b is nil for one that is never replayed.
type cachedMessage struct {
	seq uint32
	b   []byte
}

func newOutCache(maxCount, maxBytes int) *outCache {
	return &outCache{maxCount: maxCount, maxBytes: maxBytes}
}

// add records a sent message and returns its sequence number.
func (c *outCache) add(b []byte, replay bool) uint32 {
	c.sent++
	if c.overflowed {
		return c.sent
	}
	m := cachedMessage{seq: c.sent}
	if replay {
		m.b = b
		c.bytes += len(b)
	}
	c.items = append(c.items, m)
	if len(c.items) > c.maxCount || c.bytes > c.maxBytes {
		c.overflowed, c.items, c.bytes = true, nil, 0
	}
	return c.sent
}

// ack drops the messages up to n; it reports false for an n the phone never
// sent or below an earlier acknowledgement (then nothing changes).
func (c *outCache) ack(n uint32) bool {
	if n > c.sent || n < c.acked {
		return false
	}
	c.acked, c.ackRequested = n, false
	i := 0
	for i < len(c.items) && c.items[i].seq <= n {
		c.bytes -= len(c.items[i].b)
		i++
	}
	c.items = append(c.items[:0:0], c.items[i:]...)
	return true
}

// wantAck reports whether the cache is past half a limit with no ack
// requested yet (the phone then sends request/connectionAck, §2.1).
func (c *outCache) wantAck() bool {
	return !c.overflowed && !c.ackRequested && (2*len(c.items) > c.maxCount || 2*c.bytes > c.maxBytes)
}

// resumable reports whether every unacknowledged message is still cached.
func (c *outCache) resumable() bool { return !c.overflowed }

// after returns the messages to replay for a desktop that received 1..n; ok
// is false when the cache cannot serve n (overflowed, n never sent, or n
// below what the desktop already acknowledged, which was dropped).
func (c *outCache) after(n uint32) (replay [][]byte, ok bool) {
	if c.overflowed || n > c.sent || n < c.acked {
		return nil, false
	}
	for _, m := range c.items {
		if m.seq > n && m.b != nil {
			replay = append(replay, m.b)
		}
	}
	return replay, true
}
