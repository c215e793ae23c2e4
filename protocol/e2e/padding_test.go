package e2e

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

func TestPadLengths(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 31, 32, 254, 255, 256, 6000} {
		data := bytes.Repeat([]byte{0xab}, n)
		for _, r := range [][]byte{{0, 0}, {1, 0}, {253, 0}, {254, 0}, {0xff, 0xff}} {
			// n = u16-le(r) % 255 + 1
			want := int(uint16(r[0])|uint16(r[1])<<8)%255 + 1
			if n+want < MinPaddedLen {
				want = MinPaddedLen - n
			}
			p, err := Pad(fixedReader(r...), data)
			if err != nil {
				t.Fatal(err)
			}
			if len(p) != n+want || len(p) < MinPaddedLen || int(p[len(p)-1]) != want {
				t.Fatalf("len %d, r %v: padded to %d (pad %d), want pad %d", n, r, len(p), p[len(p)-1], want)
			}
			if !bytes.Equal(p[:n], data) {
				t.Fatalf("len %d: data changed", n)
			}
			u, err := Unpad(p)
			if err != nil || !bytes.Equal(u, data) {
				t.Fatalf("len %d: unpad %v", n, err)
			}
		}
	}
}

func TestPadRandomRange(t *testing.T) {
	t.Parallel()
	seen := map[int]bool{}
	for range 20000 {
		p, err := Pad(rand.Reader, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})
		if err != nil {
			t.Fatal(err)
		}
		n := int(p[len(p)-1])
		if n < 1 || n > 255 {
			t.Fatalf("pad %d", n)
		}
		seen[n] = true
	}
	if len(seen) != 255 {
		t.Fatalf("only %d pad lengths seen", len(seen))
	}
}

func TestPadRandError(t *testing.T) {
	t.Parallel()
	if _, err := Pad(fixedReader(1), nil); err == nil {
		t.Fatal("short rand accepted")
	}
}

func TestUnpadMalformed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"zero pad", []byte{1, 2, 0}},
		{"pad longer than data", []byte{5, 5, 5, 5}},
		{"pad bytes differ", []byte{1, 2, 3, 3}},
		{"pad bytes differ far", append([]byte{1, 9}, bytes.Repeat([]byte{32}, 31)...)},
		{"single 2", []byte{2}},
	} {
		if _, err := Unpad(tc.in); !errors.Is(err, ErrPadding) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// A pad equal to the whole input is valid padding; Decode then rejects
	// the empty container.
	if u, err := Unpad([]byte{2, 2}); err != nil || len(u) != 0 {
		t.Fatalf("%v %v", u, err)
	}
	if _, err := DecodeContainer([]byte{2, 2}); !errors.Is(err, ErrMalformed) {
		t.Fatal(err)
	}
	if _, err := DecodeContainer([]byte{1, 'x', 0}); !errors.Is(err, ErrPadding) {
		t.Fatal(err)
	}
}
