package webclient

import "testing"

func TestOutCacheBounds(t *testing.T) {
	t.Parallel()
	o := NewOutCache(true, 20, 100)
	o.Add(nil, false) // connectionInfo: counted, never replayed
	for range 10 {
		o.Add([]byte("x"), true)
	}
	if o.Sent() != 11 || !o.Resumable() {
		t.Fatalf("sent %d, resumable %v", o.Sent(), o.Resumable())
	}
	if !o.WantAck() {
		t.Fatal("no ack wanted past half the count bound")
	}
	o.AckRequested()
	if o.WantAck() {
		t.Fatal("ack wanted twice")
	}
	if !o.Ack(5) || o.Ack(4) || o.Ack(12) || o.Acked() != 5 {
		t.Fatalf("ack: acked %d", o.Acked())
	}
	replay, ok := o.After(8)
	if !ok || len(replay) != 3 {
		t.Fatalf("after 8: %d messages, %v", len(replay), ok)
	}
	if _, ok := o.After(4); ok {
		t.Fatal("served a resume below the acknowledgement")
	}
	o.Add(make([]byte, 101), true)
	if o.Resumable() {
		t.Fatal("no overflow past the byte bound")
	}
	if _, ok := o.After(11); ok {
		t.Fatal("served a resume after an overflow")
	}
}

// TestOutCacheWithoutAcks: on a task without acks (the WebRTC task with the
// real clients, §2.3a) the cache counts and keeps nothing, so nothing waits
// for acks that never come, and there is nothing to resume.
func TestOutCacheWithoutAcks(t *testing.T) {
	t.Parallel()
	o := NewOutCache(false, 0, 0)
	for range DefaultResumeMessages * 3 {
		o.Add([]byte("message"), true)
	}
	if o.Sent() != DefaultResumeMessages*3 || len(o.items) != 0 || o.bytes != 0 {
		t.Fatalf("sent %d, kept %d (%d bytes)", o.Sent(), len(o.items), o.bytes)
	}
	if o.Resumable() || o.WantAck() || o.Ack(1) {
		t.Fatal("a cache without acks offers resume or acks")
	}
	// A cache that learns the peer has no acks drops what it kept.
	o2 := NewOutCache(true, 0, 0)
	o2.Add([]byte("a"), true)
	o2.DisableAcks()
	if o2.Acks() || o2.Resumable() || len(o2.items) != 0 || o2.Sent() != 1 {
		t.Fatal("DisableAcks kept state")
	}
	o2.Add([]byte("b"), true)
	if o2.Sent() != 2 || len(o2.items) != 0 {
		t.Fatal("a disabled cache kept a message")
	}
}
