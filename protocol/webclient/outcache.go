package webclient

// Resume cache bounds (both sides use the same).
const (
	// DefaultResumeMessages bounds the unacknowledged messages kept for resume.
	DefaultResumeMessages = 1000
	// DefaultResumeBytes bounds their encoded size (the iOS app caps its
	// chunk cache at 2 MiB before it asks for an ack, §2.1; we ask at half).
	DefaultResumeBytes = 4 << 20
)

// OutCache is one side's record of what it sent on a connection, for
// connectionAck and resume (§2.3). Every message sent takes the next
// sequence number, the first being 1 (connectionInfo); the peer's
// sequenceNumber n (update/connectionAck, or the resume part of its
// connectionInfo) says it received 1..n. Messages of the connection itself
// (connectionInfo, connectionAck, connectionDisconnect) count but are never
// replayed.
//
// Acks exist only where the task has them (§2.3a): on the Relayed Data task
// both sides ack and resume; on the WebRTC task the real clients neither
// send nor expect connectionAck, so a cache made with acks off only counts
// and keeps nothing — there is nothing to resume, and nothing piles up
// waiting for acks that never come. The cache is bounded by count and bytes:
// past either bound it gives up (overflowed) and the connection cannot be
// resumed. It is not safe for concurrent use.
type OutCache struct {
	acks               bool
	maxCount, maxBytes int

	sent  uint32
	acked uint32
	items []cachedMessage
	bytes int

	overflowed   bool
	ackRequested bool
}

// cachedMessage is one sent message; b is nil for one never replayed.
type cachedMessage struct {
	seq uint32
	b   []byte
}

// NewOutCache returns a cache; acks says whether the connection's task has
// connectionAck and resume. Non-positive bounds take the defaults.
func NewOutCache(acks bool, maxCount, maxBytes int) *OutCache {
	if maxCount <= 0 {
		maxCount = DefaultResumeMessages
	}
	if maxBytes <= 0 {
		maxBytes = DefaultResumeBytes
	}
	return &OutCache{acks: acks, maxCount: maxCount, maxBytes: maxBytes}
}

// DisableAcks turns a cache made with acks into one without: the peer has
// shown that it has none. What was kept is dropped; the count goes on.
func (c *OutCache) DisableAcks() {
	c.acks, c.items, c.bytes, c.ackRequested = false, nil, 0, false
}

// Acks reports whether the connection has connectionAck and resume.
func (c *OutCache) Acks() bool { return c.acks }

// Sent is the sequence number of the last message sent.
func (c *OutCache) Sent() uint32 { return c.sent }

// Acked is the peer's highest acknowledgement.
func (c *OutCache) Acked() uint32 { return c.acked }

// IsControl reports whether m belongs to the connection itself
// (connectionInfo, connectionAck, connectionDisconnect): it counts but is
// never replayed.
func IsControl(m WireMessage) bool {
	switch m.SubType {
	case SubConnectionInfo, SubConnectionAck, SubConnectionDisconnect:
		return m.Type == TypeUpdate || m.Type == TypeRequest
	}
	return false
}

// Add records a sent message (replay false for a control message) and
// returns its sequence number.
func (c *OutCache) Add(b []byte, replay bool) uint32 {
	c.sent++
	if !c.acks || c.overflowed {
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

// Ack drops the messages up to n. It reports false, and changes nothing,
// for an n never sent or below an earlier acknowledgement, and on a
// connection without acks.
func (c *OutCache) Ack(n uint32) bool {
	if !c.acks || n > c.sent || n < c.acked {
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

// WantAck reports whether the cache is past half a bound with no ack asked
// for yet; the caller then sends request/connectionAck (§2.1) and calls
// AckRequested.
func (c *OutCache) WantAck() bool {
	return c.acks && !c.overflowed && !c.ackRequested && (2*len(c.items) > c.maxCount || 2*c.bytes > c.maxBytes)
}

// AckRequested notes that request/connectionAck was sent.
func (c *OutCache) AckRequested() { c.ackRequested = true }

// Resumable reports whether every unacknowledged message is still cached.
func (c *OutCache) Resumable() bool { return c.acks && !c.overflowed }

// After returns the messages to replay for a peer that received 1..n; ok is
// false when the cache cannot serve n (no acks, overflowed, n never sent, or
// n below what the peer already acknowledged, which was dropped).
func (c *OutCache) After(n uint32) (replay [][]byte, ok bool) {
	if !c.Resumable() || n > c.sent || n < c.acked {
		return nil, false
	}
	for _, m := range c.items {
		if m.seq > n && m.b != nil {
			replay = append(replay, m.b)
		}
	}
	return replay, true
}
