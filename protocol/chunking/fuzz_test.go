package chunking

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// FuzzUnchunker feeds arbitrary chunks (a 2-byte length before each) to both
// unchunkers: they must never panic, and must keep within their limits.
func FuzzUnchunker(f *testing.F) {
	spec, _ := Split(UnreliableUnordered, 42, []byte{1, 2, 3, 4, 5, 6, 7, 8}, 12)
	var seed []byte
	for _, c := range spec {
		seed = binary.BigEndian.AppendUint16(seed, uint16(len(c)))
		seed = append(seed, c...)
	}
	f.Add(seed)
	f.Add([]byte{0, 2, 0x07, 'x', 0, 3, 0x06, 1, 2, 0, 2, 0x07, 3})
	f.Add([]byte{0, 10, 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 'x'})
	lim := Limits{MaxMessageSize: 1 << 10, MaxBufferedBytes: 4 << 10, MaxIncompleteMessages: 4, MaxAge: time.Second}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, mode := range []Mode{UnreliableUnordered, ReliableOrdered} {
			u, _ := NewUnchunker(mode, lim)
			now := t0
			for rest := in; len(rest) >= 2; {
				n := min(int(binary.BigEndian.Uint16(rest)), len(rest)-2)
				chunk := rest[2 : 2+n]
				rest = rest[2+n:]
				now = now.Add(100 * time.Millisecond)
				msg, err := u.Add(chunk, now)
				if err == nil && len(msg) > lim.MaxMessageSize {
					t.Fatalf("%s: %d-byte message", mode, len(msg))
				}
				if u.Buffered() > lim.MaxBufferedBytes || u.Incomplete() > lim.MaxIncompleteMessages || u.Buffered() < 0 {
					t.Fatalf("%s: %d bytes in %d messages", mode, u.Buffered(), u.Incomplete())
				}
			}
			u.GC(now.Add(time.Hour))
			if mode == UnreliableUnordered && (u.Incomplete() != 0 || u.Buffered() != 0) {
				t.Fatalf("GC left %d messages, %d bytes", u.Incomplete(), u.Buffered())
			}
		}
	})
}

// FuzzRoundTrip chunks a message with a fuzzed chunk size, reverses the
// chunks and reassembles them.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint16(12), uint32(42))
	f.Add(bytes.Repeat([]byte{9}, 3000), uint16(10), uint32(0xffffffff))
	f.Fuzz(func(t *testing.T, msg []byte, size uint16, id uint32) {
		for _, mode := range []Mode{UnreliableUnordered, ReliableOrdered} {
			chunks, err := Split(mode, id, msg, int(size))
			if err != nil {
				if len(msg) > 0 && int(size) > mode.HeaderSize() {
					t.Fatalf("%s: %v", mode, err)
				}
				continue
			}
			if mode == UnreliableUnordered {
				for i, j := 0, len(chunks)-1; i < j; i, j = i+1, j-1 {
					chunks[i], chunks[j] = chunks[j], chunks[i]
				}
			}
			u, _ := NewUnchunker(mode, Limits{})
			var got []byte
			for _, c := range chunks {
				if len(c) > int(size) {
					t.Fatalf("%d-byte chunk over %d", len(c), size)
				}
				m, err := u.Add(c, t0)
				if err != nil {
					t.Fatal(err)
				}
				if m != nil {
					got = m
				}
			}
			if !bytes.Equal(got, msg) {
				t.Fatalf("%s: round trip differs", mode)
			}
		}
	})
}
