package rtclink

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// cryptoPair returns the two directions' contexts of one channel, with the
// session keys of two peers.
func cryptoPair(t *testing.T, id uint16) (*dcCrypto, *dcCrypto) {
	t.Helper()
	ka, kb := testKey(t), testKey(t)
	a, err := newDCCrypto(id, cryptobox.Precompute(kb.Public, ka.Secret), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newDCCrypto(id, cryptobox.Precompute(ka.Public, kb.Secret), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func TestDCNonceLayout(t *testing.T) {
	t.Parallel()
	a, _ := cryptoPair(t, 0x1234)
	a.next = 0x0005_0000_0007
	box, err := a.seal(nil, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	// cookie(16) ‖ dc id(u16) ‖ overflow(u16) ‖ sequence(u32), big-endian (§1.8).
	if !bytes.Equal(box[:16], a.cookie[:]) || binary.BigEndian.Uint16(box[16:]) != 0x1234 ||
		binary.BigEndian.Uint16(box[18:]) != 5 || binary.BigEndian.Uint32(box[20:]) != 7 {
		t.Fatalf("nonce %x", box[:24])
	}
	if len(box) != dcOverhead+1 {
		t.Fatalf("%d bytes", len(box))
	}
}

func TestDCCryptoRoundTripAndReorder(t *testing.T) {
	t.Parallel()
	a, b := cryptoPair(t, 3)
	var boxes [][]byte
	for i := range 10 {
		box, err := a.seal(nil, []byte{byte(i)})
		if err != nil {
			t.Fatal(err)
		}
		boxes = append(boxes, box)
	}
	// Any order is fine (the channel may be unordered), each message once.
	for _, i := range []int{3, 0, 9, 1, 2, 8, 4, 7, 6, 5} {
		p, err := b.open(boxes[i])
		if err != nil || len(p) != 1 || p[0] != byte(i) {
			t.Fatalf("message %d: %x %v", i, p, err)
		}
	}
	for i := range boxes {
		if _, err := b.open(boxes[i]); !errors.Is(err, ErrReplay) {
			t.Fatalf("replay of %d: %v", i, err)
		}
	}
}

func TestDCCryptoRejects(t *testing.T) {
	t.Parallel()
	a, b := cryptoPair(t, 3)
	good, _ := a.seal(nil, []byte("hello"))
	other, _ := cryptoPair(t, 4)

	tampered := bytes.Clone(good)
	tampered[len(tampered)-1] ^= 0x80
	if _, err := b.open(tampered); !errors.Is(err, saltyrtc.ErrDecrypt) {
		t.Fatalf("tampered: %v", err)
	}
	// A failed box does not burn its sequence number: the genuine one opens.
	if _, err := b.open(good); err != nil {
		t.Fatalf("genuine after tampered: %v", err)
	}

	wrongID, _ := other.seal(nil, []byte("x"))
	if _, err := b.open(wrongID); !errors.Is(err, ErrChannelNonce) {
		t.Fatalf("other channel: %v", err)
	}
	own := bytes.Clone(good)
	copy(own, b.cookie[:])
	if _, err := b.open(own); !errors.Is(err, ErrChannelNonce) {
		t.Fatalf("own cookie: %v", err)
	}
	changed := bytes.Clone(good)
	changed[0] ^= 1
	binary.BigEndian.PutUint32(changed[20:], binary.BigEndian.Uint32(changed[20:])+1)
	if _, err := b.open(changed); !errors.Is(err, ErrChannelNonce) {
		t.Fatalf("changed cookie: %v", err)
	}
	if _, err := b.open(good[:dcOverhead-1]); !errors.Is(err, ErrChannelNonce) {
		t.Fatalf("short: %v", err)
	}
}

func TestDCCryptoOldAndExhausted(t *testing.T) {
	t.Parallel()
	a, b := cryptoPair(t, 1)
	first, _ := a.seal(nil, []byte("old"))
	a.next += 2 * dcReplayWindow
	late, _ := a.seal(nil, []byte("new"))
	if _, err := b.open(late); err != nil {
		t.Fatal(err)
	}
	if _, err := b.open(first); !errors.Is(err, ErrReplay) {
		t.Fatalf("older than the window: %v", err)
	}
	a.next = dcMaxCSN
	last, err := a.seal(nil, []byte("last"))
	if err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint16(last[18:]) != 0xffff || binary.BigEndian.Uint32(last[20:]) != 0xffffffff {
		t.Fatalf("last nonce %x", last[16:24])
	}
	if _, err := a.seal(nil, []byte("one too many")); !errors.Is(err, saltyrtc.ErrCSNExhausted) {
		t.Fatalf("overflow: %v", err)
	}
}
