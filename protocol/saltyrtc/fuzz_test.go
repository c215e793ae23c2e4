package saltyrtc

import (
	"bytes"
	"testing"
)

func FuzzParseNonce(f *testing.F) {
	f.Add(make([]byte, 25))
	f.Add(bytes.Repeat([]byte{0xff}, 24))
	f.Add([]byte("0123456789abcdef\x01\x02\x00\x00\x00\x00\x00\x07data"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, data, err := ParseFrame(b)
		if err != nil {
			if len(b) >= MinFrameSize {
				t.Fatalf("%d bytes rejected: %v", len(b), err)
			}
			return
		}
		nb := n.Bytes()
		if !bytes.Equal(nb[:], b[:NonceSize]) || !bytes.Equal(data, b[NonceSize:]) {
			t.Fatal("nonce does not round-trip")
		}
		var tr CSNTracker
		_ = tr.Check(n, Cookie{})
	})
}

func FuzzDecode(f *testing.F) {
	for _, m := range validMessages() {
		b, err := Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(mp(str("type"), str("data"), str("p"), bin(3)))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b, "data")
		if err != nil {
			return
		}
		// Whatever decodes must re-encode and decode to the same type.
		again, err := Encode(m)
		if err != nil {
			t.Fatalf("%T decoded but does not encode: %v", m, err)
		}
		m2, err := Decode(again, "data")
		if err != nil || m2.MessageType() != m.MessageType() {
			t.Fatalf("%T: re-decode %v", m, err)
		}
	})
}
