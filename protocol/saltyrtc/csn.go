package saltyrtc

import (
	"encoding/binary"
	"fmt"
	"io"
)

// maxCSN is the largest 48-bit combined sequence number (§1.3).
const maxCSN = 1<<48 - 1

// CSNTracker checks the cookie and combined sequence number of the frames
// received from one peer (§1.3): the first CSN has a zero overflow, each next
// one is exactly the previous plus one, the cookie never changes and differs
// from our own cookie towards that peer. The zero value is ready to use.
type CSNTracker struct {
	started bool
	cookie  Cookie
	csn     uint64
}

// Check validates n against the state and, if valid, records it. own is the
// cookie we use towards this peer.
func (t *CSNTracker) Check(n Nonce, own Cookie) error {
	if n.Cookie.Equal(own) {
		return fmt.Errorf("%w: peer uses our cookie", ErrCookie)
	}
	csn := n.CSN()
	if !t.started {
		if n.Overflow != 0 {
			return fmt.Errorf("%w: first message has overflow %d", ErrCSN, n.Overflow)
		}
		t.started, t.cookie, t.csn = true, n.Cookie, csn
		return nil
	}
	if !n.Cookie.Equal(t.cookie) {
		return fmt.Errorf("%w: peer cookie changed", ErrCookie)
	}
	if t.csn == maxCSN {
		return fmt.Errorf("%w: incoming", ErrCSNExhausted)
	}
	if csn != t.csn+1 {
		return fmt.Errorf("%w: not the previous plus one", ErrCSN)
	}
	t.csn = csn
	return nil
}

// Started reports whether a first frame was recorded.
func (t *CSNTracker) Started() bool { return t.started }

// Cookie is the peer's cookie, valid once Started.
func (t *CSNTracker) Cookie() Cookie { return t.cookie }

// Last is the last valid CSN received, valid once Started.
func (t *CSNTracker) Last() uint64 { return t.csn }

// OutgoingCSN is our cookie and combined sequence number towards one peer.
type OutgoingCSN struct {
	cookie Cookie
	next   uint64
	done   bool
}

// NewOutgoingCSN draws a cookie and a random 32-bit start sequence with zero
// overflow (§1.3). avoid is a cookie ours must differ from (the peer's, when
// already known; the zero cookie otherwise).
func NewOutgoingCSN(rand io.Reader, avoid Cookie) (OutgoingCSN, error) {
	var o OutgoingCSN
	for {
		c, err := RandomCookie(rand)
		if err != nil {
			return o, err
		}
		if !c.Equal(avoid) {
			o.cookie = c
			break
		}
	}
	var seq [4]byte
	if _, err := io.ReadFull(rand, seq[:]); err != nil {
		return o, fmt.Errorf("saltyrtc: random sequence number: %w", err)
	}
	o.next = uint64(binary.BigEndian.Uint32(seq[:]))
	return o, nil
}

// Cookie is our cookie towards this peer.
func (o *OutgoingCSN) Cookie() Cookie { return o.cookie }

// Peek is the CSN the next Next call returns.
func (o *OutgoingCSN) Peek() uint64 { return o.next }

// Next builds the nonce for the next frame from src to dst and advances the CSN.
func (o *OutgoingCSN) Next(src, dst Address) (Nonce, error) {
	if o.done {
		return Nonce{}, fmt.Errorf("%w: outgoing", ErrCSNExhausted)
	}
	n := Nonce{Cookie: o.cookie, Source: src, Destination: dst,
		Overflow: uint16(o.next >> 32), Sequence: uint32(o.next)}
	if o.next == maxCSN {
		o.done = true
	} else {
		o.next++
	}
	return n, nil
}
