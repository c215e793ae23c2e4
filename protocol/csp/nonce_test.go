package csp

import (
	"encoding/hex"
	"errors"
	"math"
	"testing"
)

func TestNonceCounterStartsAtOneAndIsLittleEndian(t *testing.T) {
	t.Parallel()
	c := NewNonceCounter(Cookie{0xc0, 0x0c, 15: 0xff})
	n, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	const want = "c00c" + "00000000000000000000000000" + "ff" + "0100000000000000" // CCK ‖ u64-le(1)
	if got := hex.EncodeToString(n[:]); got != want {
		t.Fatalf("first nonce %s", got)
	}
	n, _ = c.Next()
	if n[16] != 2 || c.Last() != 2 {
		t.Fatalf("second nonce counter byte %d, Last %d", n[16], c.Last())
	}
}

func TestNonceCounterRefusesOverflow(t *testing.T) {
	t.Parallel()
	c := NonceCounter{last: math.MaxUint64 - 1}
	if n, err := c.Next(); err != nil || hex.EncodeToString(n[16:]) != "ffffffffffffffff" {
		t.Fatalf("last nonce %x, %v", n, err)
	}
	if _, err := c.Next(); !errors.Is(err, ErrNonceOverflow) {
		t.Fatalf("after the last nonce: %v", err)
	}
	if _, err := c.Next(); !errors.Is(err, ErrNonceOverflow) {
		t.Fatalf("overflow must stick: %v", err)
	}
}
