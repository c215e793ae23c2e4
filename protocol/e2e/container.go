package e2e

import (
	"fmt"
	"io"
)

// EncodeContainer encodes m as the plaintext of a message box (§3.5):
// type ‖ inner ‖ padding, with padding from rand (see Pad).
func EncodeContainer(rand io.Reader, m Message) ([]byte, error) {
	b, err := Encode(m)
	if err != nil {
		return nil, err
	}
	return Pad(rand, b)
}

// DecodeContainer strips the padding of a message box's plaintext and
// decodes the message (Unpad, then Decode).
func DecodeContainer(b []byte) (Message, error) {
	u, err := Unpad(b)
	if err != nil {
		return nil, fmt.Errorf("e2e: container: %w", err)
	}
	return Decode(u)
}
