package saltyrtc

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestNonceLayout(t *testing.T) {
	t.Parallel()
	// §1.3: cookie(16) ‖ source ‖ destination ‖ overflow u16 BE ‖ sequence u32 BE.
	const want = "000102030405060708090a0b0c0d0e0f" + "01" + "02" + "0304" + "05060708"
	var n Nonce
	for i := range n.Cookie {
		n.Cookie[i] = byte(i)
	}
	n.Source, n.Destination, n.Overflow, n.Sequence = 1, 2, 0x0304, 0x05060708
	b := n.Bytes()
	if got := hex.EncodeToString(b[:]); got != want {
		t.Fatalf("got %s", got)
	}
	back, err := ParseNonce(b[:])
	if err != nil || back != n {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	if n.CSN() != 0x0304_05060708 {
		t.Fatalf("CSN %x", n.CSN())
	}
}

func TestParseFrameLengths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n  int
		ok bool
	}{{0, false}, {23, false}, {24, false}, {25, true}, {1000, true}} {
		n, data, err := ParseFrame(make([]byte, c.n))
		if c.ok != (err == nil) {
			t.Errorf("%d bytes: %v", c.n, err)
		}
		if err != nil && !errors.Is(err, ErrShortFrame) {
			t.Errorf("%d bytes: %v", c.n, err)
		}
		if err == nil && (len(data) != c.n-NonceSize || n != (Nonce{})) {
			t.Errorf("%d bytes: data %d", c.n, len(data))
		}
	}
}

func TestAddressRanges(t *testing.T) {
	t.Parallel()
	for a := 0; a < 256; a++ {
		if Address(a).IsResponder() != (a >= 2) {
			t.Errorf("address %d", a)
		}
	}
}
