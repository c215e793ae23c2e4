package e2e

import (
	"fmt"
	"io"
)

// MinPaddedLen is the smallest padded container (§3.5; Android
// MIN_MESSAGE_PADDED_LEN): short messages get more padding so that the length
// of a box does not reveal, say, a typing indicator from a one-letter text.
const MinPaddedLen = 32

// MaxPadLen is the largest pad PKCS#7-style padding can express (one byte).
const MaxPadLen = 255

// Pad appends PKCS#7-style padding to data (§3.5): n bytes of value n, n
// drawn from rand in 1..255 and raised so the result is at least
// MinPaddedLen bytes long. It reads 2 bytes from rand. data is not modified;
// the result is a new slice.
func Pad(rand io.Reader, data []byte) ([]byte, error) {
	var r [2]byte
	if _, err := io.ReadFull(rand, r[:]); err != nil {
		return nil, fmt.Errorf("e2e: padding: %w", err)
	}
	// 65536 = 257·255 + 1: the bias towards n = 1 is 1 in 65536.
	n := int(uint16(r[0])|uint16(r[1])<<8)%MaxPadLen + 1
	if len(data)+n < MinPaddedLen {
		n = MinPaddedLen - len(data)
	}
	out := make([]byte, len(data)+n)
	copy(out, data)
	for i := len(data); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out, nil
}

// Unpad strips PKCS#7-style padding strictly: the last byte n must be 1..len
// and the last n bytes must all equal n. The result aliases b. It does not
// insist on MinPaddedLen, which is the sender's duty.
func Unpad(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrPadding)
	}
	n := int(b[len(b)-1])
	if n == 0 || n > len(b) {
		return nil, fmt.Errorf("%w: pad of %d in %d bytes", ErrPadding, n, len(b))
	}
	var diff byte
	for _, c := range b[len(b)-n:] {
		diff |= c ^ byte(n)
	}
	if diff != 0 {
		return nil, fmt.Errorf("%w: pad bytes differ", ErrPadding)
	}
	return b[:len(b)-n], nil
}
