package saltyrtc

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func TestCSNTracker(t *testing.T) {
	t.Parallel()
	own := Cookie{9}
	peer := Cookie{1}
	at := func(c Cookie, csn uint64) Nonce {
		return Nonce{Cookie: c, Overflow: uint16(csn >> 32), Sequence: uint32(csn)}
	}
	type step struct {
		n    Nonce
		want error
	}
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"sequence", []step{{at(peer, 5), nil}, {at(peer, 6), nil}, {at(peer, 7), nil}}},
		{"random start, crossing into the overflow", []step{{at(peer, 0xffffffff), nil}, {at(peer, 0x1_00000000), nil}}},
		{"first overflow must be zero", []step{{at(peer, 0x1_00000000), ErrCSN}}},
		{"repeated", []step{{at(peer, 5), nil}, {at(peer, 5), ErrCSN}}},
		{"skipped", []step{{at(peer, 5), nil}, {at(peer, 7), ErrCSN}}},
		{"backwards", []step{{at(peer, 5), nil}, {at(peer, 4), ErrCSN}}},
		{"cookie changed", []step{{at(peer, 5), nil}, {at(Cookie{2}, 6), ErrCookie}}},
		{"our own cookie first", []step{{at(own, 5), ErrCookie}}},
		{"our own cookie later", []step{{at(peer, 5), nil}, {at(own, 6), ErrCookie}}},
	} {
		var tr CSNTracker
		for i, s := range c.steps {
			if err := tr.Check(s.n, own); !errors.Is(err, s.want) || (s.want == nil && err != nil) {
				t.Errorf("%s step %d: %v, want %v", c.name, i, err, s.want)
			}
		}
	}
	// No wrap after the largest 48-bit CSN.
	tr := CSNTracker{started: true, cookie: peer, csn: maxCSN}
	if err := tr.Check(at(peer, 0), own); !errors.Is(err, ErrCSNExhausted) {
		t.Fatalf("wrap: %v", err)
	}
}

func TestOutgoingCSN(t *testing.T) {
	t.Parallel()
	o, err := NewOutgoingCSN(rand.Reader, Cookie{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Peek()>>32 != 0 {
		t.Fatal("first overflow must be zero")
	}
	first := o.Peek()
	n, _ := o.Next(3, 1)
	if n.CSN() != first || n.Source != 3 || n.Destination != 1 || n.Cookie != o.Cookie() {
		t.Fatalf("nonce %+v", n)
	}
	var tr CSNTracker
	if err := tr.Check(n, Cookie{}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		n, _ = o.Next(3, 1)
		if err := tr.Check(n, Cookie{}); err != nil {
			t.Fatal(err)
		}
	}
	// Crossing the 32-bit boundary and exhaustion.
	o.next = 0xffffffff
	n, _ = o.Next(0, 0)
	m, _ := o.Next(0, 0)
	if n.Overflow != 0 || n.Sequence != 0xffffffff || m.Overflow != 1 || m.Sequence != 0 {
		t.Fatalf("boundary: %+v %+v", n, m)
	}
	o.next = maxCSN
	if _, err := o.Next(0, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Next(0, 0); !errors.Is(err, ErrCSNExhausted) {
		t.Fatalf("exhausted: %v", err)
	}
}

func TestOutgoingCSNAvoidsCookie(t *testing.T) {
	t.Parallel()
	// A reader that yields the avoided cookie first, then another.
	avoid := Cookie{7, 7, 7}
	r := bytes.NewReader(append(append(append([]byte{}, avoid[:]...), bytes.Repeat([]byte{1}, 16)...), 0, 0, 0, 5))
	o, err := NewOutgoingCSN(r, avoid)
	if err != nil {
		t.Fatal(err)
	}
	if o.Cookie() == avoid || o.Peek() != 5 {
		t.Fatalf("cookie %x, start %d", o.Cookie(), o.Peek())
	}
}
