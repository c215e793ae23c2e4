package webclient

import (
	"bytes"
	"testing"

	"github.com/kurier/kurier/protocol/chunking"
)

// TestFraming: on the WebRTC task a unit is the message; on the Relayed
// Data task a message becomes 64 KiB chunks whose message ids count the
// messages, and the chunks come back together in any order.
func TestFraming(t *testing.T) {
	t.Parallel()
	w := NewFraming(false, chunking.Limits{})
	if u, _ := w.Frames([]byte("m")); len(u) != 1 || string(u[0]) != "m" {
		t.Fatalf("webrtc frames %q", u)
	}
	if m, err := w.Unframe([]byte("m")); err != nil || string(m) != "m" {
		t.Fatalf("webrtc unframe %q %v", m, err)
	}

	tx, rx := NewFraming(true, chunking.Limits{}), NewFraming(true, chunking.Limits{})
	small, err := tx.Frames([]byte("hello"))
	if err != nil || len(small) != 1 || len(small[0]) != len("hello")+chunking.UnreliableUnorderedHeaderSize {
		t.Fatalf("small message: %d units, %v", len(small), err)
	}
	big := bytes.Repeat([]byte("x"), 3*RelayedChunkSize)
	units, err := tx.Frames(big)
	if err != nil || len(units) != 4 {
		t.Fatalf("big message: %d units, %v", len(units), err)
	}
	for _, u := range units {
		if len(u) > RelayedChunkSize {
			t.Fatalf("a chunk of %d bytes", len(u))
		}
	}
	h, _, _ := chunking.ParseChunk(chunking.UnreliableUnordered, units[0])
	if h.MessageID != 1 {
		t.Fatalf("the second message has chunker id %d, want 1", h.MessageID)
	}
	// In reverse order, the small one last.
	for i := len(units) - 1; i > 0; i-- {
		if m, err := rx.Unframe(units[i]); err != nil || m != nil {
			t.Fatalf("unit %d completed %d bytes early: %v", i, len(m), err)
		}
	}
	if m, err := rx.Unframe(units[0]); err != nil || !bytes.Equal(m, big) {
		t.Fatalf("big message back: %d bytes, %v", len(m), err)
	}
	if m, err := rx.Unframe(small[0]); err != nil || string(m) != "hello" {
		t.Fatalf("small message back: %q, %v", m, err)
	}
	if _, err := rx.Unframe([]byte{0x01}); err == nil {
		t.Fatal("a truncated chunk was accepted")
	}
}
