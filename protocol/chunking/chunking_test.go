package chunking

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestSpecVector is the example of §1.10 (Chunking.md): data 01..08, chunk
// size 12, message id 42.
func TestSpecVector(t *testing.T) {
	t.Parallel()
	msg := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	want := []string{
		"00" + "0000002a" + "00000000" + "010203",
		"00" + "0000002a" + "00000001" + "040506",
		"01" + "0000002a" + "00000002" + "0708",
	}
	chunks, err := Split(UnreliableUnordered, 42, msg, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != len(want) {
		t.Fatalf("%d chunks, want %d", len(chunks), len(want))
	}
	for i, c := range chunks {
		if got := hex.EncodeToString(c); got != want[i] {
			t.Errorf("chunk %d = %s, want %s", i, got, want[i])
		}
	}
	u, _ := NewUnchunker(UnreliableUnordered, Limits{})
	for _, i := range []int{2, 0, 1} {
		got, err := u.Add(chunks[i], t0)
		if err != nil {
			t.Fatal(err)
		}
		if (i == 1) != (got != nil) {
			t.Fatalf("after chunk %d: %x", i, got)
		}
		if got != nil && !bytes.Equal(got, msg) {
			t.Fatalf("reassembled %x", got)
		}
	}
}

func TestReliableOrderedVector(t *testing.T) {
	t.Parallel()
	chunks, err := Split(ReliableOrdered, 42, []byte{1, 2, 3, 4, 5}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"060102", "060304", "0705"}
	for i, c := range chunks {
		if got := hex.EncodeToString(c); got != want[i] {
			t.Errorf("chunk %d = %s, want %s", i, got, want[i])
		}
	}
}

func TestRoundTripRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, mode := range []Mode{UnreliableUnordered, ReliableOrdered} {
		u, err := NewUnchunker(mode, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 300 {
			msg := make([]byte, 1+rng.IntN(5000))
			for j := range msg {
				msg[j] = byte(rng.Uint32())
			}
			size := mode.HeaderSize() + 1 + rng.IntN(700)
			chunks, err := Split(mode, uint32(i), msg, size)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range chunks[:len(chunks)-1] {
				if len(c) != size {
					t.Fatalf("a chunk that is not the last has %d bytes, want %d", len(c), size)
				}
			}
			if mode == UnreliableUnordered {
				rng.Shuffle(len(chunks), func(a, b int) { chunks[a], chunks[b] = chunks[b], chunks[a] })
			}
			var got []byte
			for k, c := range chunks {
				m, err := u.Add(c, t0)
				if err != nil {
					t.Fatalf("%s message %d chunk %d: %v", mode, i, k, err)
				}
				if m != nil {
					if k != len(chunks)-1 {
						t.Fatalf("complete after %d of %d chunks", k+1, len(chunks))
					}
					got = m
				}
			}
			if !bytes.Equal(got, msg) {
				t.Fatalf("%s message %d differs (%d vs %d bytes)", mode, i, len(got), len(msg))
			}
			if u.Buffered() != 0 || u.Incomplete() != 0 {
				t.Fatalf("left %d bytes in %d messages", u.Buffered(), u.Incomplete())
			}
		}
	}
}

func TestInterleavedMessages(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	u, _ := NewUnchunker(UnreliableUnordered, Limits{})
	msgs := map[uint32][]byte{}
	var all [][]byte
	for id := range uint32(20) {
		m := bytes.Repeat([]byte{byte(id)}, 100+int(id)*37)
		msgs[id] = m
		cs, _ := Split(UnreliableUnordered, id, m, 9+13)
		all = append(all, cs...)
	}
	rng.Shuffle(len(all), func(a, b int) { all[a], all[b] = all[b], all[a] })
	done := 0
	for _, c := range all {
		m, err := u.Add(c, t0)
		if err != nil {
			t.Fatal(err)
		}
		if m != nil {
			id := uint32(m[0])
			if !bytes.Equal(m, msgs[id]) {
				t.Fatalf("message %d corrupted", id)
			}
			done++
		}
	}
	if done != len(msgs) || u.Incomplete() != 0 || u.Buffered() != 0 {
		t.Fatalf("%d of %d messages; %d incomplete, %d bytes", done, len(msgs), u.Incomplete(), u.Buffered())
	}
}

func TestMessageIDReuseAfterCompletion(t *testing.T) {
	t.Parallel()
	u, _ := NewUnchunker(UnreliableUnordered, Limits{})
	for range 3 {
		cs, _ := Split(UnreliableUnordered, 7, []byte("abcdef"), 11)
		var got []byte
		for _, c := range cs {
			m, err := u.Add(c, t0)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, m...)
		}
		if string(got) != "abcdef" {
			t.Fatalf("got %q", got)
		}
	}
}

func TestChunkerErrors(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		mode Mode
		msg  []byte
		size int
		want error
	}{
		"size is header":          {UnreliableUnordered, []byte{1}, 9, ErrChunkSize},
		"size is ordered header":  {ReliableOrdered, []byte{1}, 1, ErrChunkSize},
		"empty message":           {UnreliableUnordered, nil, 100, ErrEmptyMessage},
		"unknown mode":            {Mode(2), []byte{1}, 100, ErrMode},
		"negative size":           {UnreliableUnordered, []byte{1}, -1, ErrChunkSize},
		"one byte per chunk fits": {UnreliableUnordered, []byte{1, 2}, 10, nil},
	} {
		if _, err := Split(tc.mode, 0, tc.msg, tc.size); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func TestMalformedChunks(t *testing.T) {
	t.Parallel()
	hdr := func(opt byte, id, serial uint32) []byte {
		return appendHeader(nil, Mode(opt&optModeMask), opt&1 == 1, id, serial)
	}
	for name, tc := range map[string]struct {
		mode  Mode
		chunk []byte
		want  error
	}{
		"empty":                {UnreliableUnordered, nil, ErrShortChunk},
		"header only":          {UnreliableUnordered, hdr(1, 0, 0), ErrShortChunk},
		"eight bytes":          {UnreliableUnordered, make([]byte, 8), ErrShortChunk},
		"ordered header only":  {ReliableOrdered, []byte{0x07}, ErrShortChunk},
		"reserved bit":         {UnreliableUnordered, append([]byte{0x81, 0, 0, 0, 0, 0, 0, 0, 0}, 'x'), ErrOptions},
		"ordered in unordered": {UnreliableUnordered, append([]byte{0x07, 0, 0, 0, 0, 0, 0, 0, 0}, 'x'), ErrOptions},
		"unordered in ordered": {ReliableOrdered, []byte{0x01, 'x'}, ErrOptions},
		"mode bits 01":         {UnreliableUnordered, append([]byte{0x03, 0, 0, 0, 0, 0, 0, 0, 0}, 'x'), ErrOptions},
		"mode bits 10":         {ReliableOrdered, []byte{0x05, 'x'}, ErrOptions},
	} {
		u, _ := NewUnchunker(tc.mode, Limits{})
		if _, err := u.Add(tc.chunk, t0); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, err := NewUnchunker(Mode(4), Limits{}); !errors.Is(err, ErrMode) {
		t.Errorf("unknown mode: %v", err)
	}
}

func TestSerialErrors(t *testing.T) {
	t.Parallel()
	c := func(end bool, id, serial uint32) []byte {
		return append(appendHeader(nil, UnreliableUnordered, end, id, serial), 'x')
	}
	for name, seq := range map[string][][]byte{
		"duplicate":          {c(false, 1, 0), c(false, 1, 0)},
		"serial after end":   {c(true, 1, 2), c(false, 1, 3)},
		"second end":         {c(true, 1, 2), c(true, 1, 1)},
		"end before serial":  {c(false, 1, 5), c(true, 1, 2)},
		"duplicate of end":   {c(true, 1, 1), c(true, 1, 1)},
		"single then serial": {c(false, 1, 1), c(true, 1, 0)},
	} {
		u, _ := NewUnchunker(UnreliableUnordered, Limits{})
		var err error
		for _, ch := range seq {
			if _, err = u.Add(ch, t0); err != nil {
				break
			}
		}
		if !errors.Is(err, ErrDuplicateChunk) && !errors.Is(err, ErrSerial) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	t.Run("message size", func(t *testing.T) {
		u, _ := NewUnchunker(UnreliableUnordered, Limits{MaxMessageSize: 100})
		cs, _ := Split(UnreliableUnordered, 1, make([]byte, 101), 9+50)
		var err error
		for _, c := range cs {
			if _, err = u.Add(c, t0); err != nil {
				break
			}
		}
		if !errors.Is(err, ErrMessageTooLarge) {
			t.Fatalf("%v", err)
		}
		if _, err := u.Add(append(appendHeader(nil, UnreliableUnordered, true, 9, 0), make([]byte, 101)...), t0); !errors.Is(err, ErrMessageTooLarge) {
			t.Fatalf("single chunk: %v", err)
		}
		if _, err := u.Add(append(appendHeader(nil, UnreliableUnordered, false, 9, 1000), 1), t0); !errors.Is(err, ErrMessageTooLarge) {
			t.Fatalf("serial beyond the size: %v", err)
		}
		o, _ := NewUnchunker(ReliableOrdered, Limits{MaxMessageSize: 100})
		cs, _ = Split(ReliableOrdered, 0, make([]byte, 101), 51)
		for _, c := range cs {
			if _, err = o.Add(c, t0); err != nil {
				break
			}
		}
		if !errors.Is(err, ErrMessageTooLarge) {
			t.Fatalf("ordered: %v", err)
		}
	})
	t.Run("incomplete messages", func(t *testing.T) {
		u, _ := NewUnchunker(UnreliableUnordered, Limits{MaxIncompleteMessages: 3})
		for id := range uint32(3) {
			if _, err := u.Add(append(appendHeader(nil, UnreliableUnordered, false, id, 0), 1), t0); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := u.Add(append(appendHeader(nil, UnreliableUnordered, false, 3, 0), 1), t0); !errors.Is(err, ErrTooManyMessages) {
			t.Fatalf("%v", err)
		}
		// A single-chunk message needs no slot.
		if m, err := u.Add(append(appendHeader(nil, UnreliableUnordered, true, 3, 0), 1), t0); err != nil || len(m) != 1 {
			t.Fatalf("%v %v", m, err)
		}
		// Chunks of known messages still go in.
		if _, err := u.Add(append(appendHeader(nil, UnreliableUnordered, false, 0, 1), 1), t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("buffered bytes", func(t *testing.T) {
		u, _ := NewUnchunker(UnreliableUnordered, Limits{MaxBufferedBytes: 1000})
		var err error
		for id := uint32(0); err == nil; id++ {
			_, err = u.Add(append(appendHeader(nil, UnreliableUnordered, false, id, 0), make([]byte, 200)...), t0)
		}
		if !errors.Is(err, ErrBufferFull) {
			t.Fatalf("%v", err)
		}
		if u.Buffered() > 1000 {
			t.Fatalf("holds %d bytes", u.Buffered())
		}
	})
	t.Run("one-byte chunk flood", func(t *testing.T) {
		u, _ := NewUnchunker(UnreliableUnordered, Limits{MaxBufferedBytes: 10000})
		var err error
		for s := uint32(0); err == nil; s++ {
			_, err = u.Add(append(appendHeader(nil, UnreliableUnordered, false, 1, s), 1), t0)
		}
		if !errors.Is(err, ErrBufferFull) || u.Buffered() > 10000 {
			t.Fatalf("%v, %d bytes", err, u.Buffered())
		}
	})
}

func TestGC(t *testing.T) {
	t.Parallel()
	u, _ := NewUnchunker(UnreliableUnordered, Limits{MaxAge: time.Second, MaxIncompleteMessages: 2})
	add := func(id uint32, at time.Time) error {
		_, err := u.Add(append(appendHeader(nil, UnreliableUnordered, false, id, 0), 1, 2, 3), at)
		return err
	}
	if err := add(1, t0); err != nil {
		t.Fatal(err)
	}
	if err := add(2, t0.Add(900*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n := u.GC(t0.Add(time.Second)); n != 0 {
		t.Fatalf("dropped %d at the limit", n)
	}
	// Message 1 is stale at t0+1.5s: a new message makes room by collecting it.
	if err := add(3, t0.Add(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if u.Incomplete() != 2 {
		t.Fatalf("%d incomplete", u.Incomplete())
	}
	if n := u.GC(t0.Add(10 * time.Second)); n != 2 || u.Incomplete() != 0 || u.Buffered() != 0 {
		t.Fatalf("dropped %d, left %d messages and %d bytes", n, u.Incomplete(), u.Buffered())
	}
}

func TestChunkerReusesBuffer(t *testing.T) {
	t.Parallel()
	msg := bytes.Repeat([]byte{0xab}, 1000)
	c, _ := NewChunker(UnreliableUnordered, 5, msg, 109)
	if c.Count() != 10 {
		t.Fatalf("count %d", c.Count())
	}
	buf := make([]byte, 0, 109)
	n := 0
	for {
		chunk, ok := c.Next(buf)
		if !ok {
			break
		}
		if &chunk[0] != &buf[:1][0] {
			t.Fatal("Next allocated despite a large enough buffer")
		}
		n++
	}
	if n != 10 {
		t.Fatalf("%d chunks", n)
	}
}

func BenchmarkUnchunk64KiB(b *testing.B) {
	msg := make([]byte, 64<<10)
	chunks, _ := Split(UnreliableUnordered, 1, msg, 16<<10)
	u, _ := NewUnchunker(UnreliableUnordered, Limits{})
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		for _, c := range chunks {
			if _, err := u.Add(c, t0); err != nil {
				b.Fatal(err)
			}
		}
	}
}
