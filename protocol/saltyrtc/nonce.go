package saltyrtc

import (
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Header sizes of §1.3.
const (
	// CookieSize is the size of a cookie (§1.3).
	CookieSize = 16
	// NonceSize is the size of the nonce header in front of every message (§1.3).
	NonceSize = 24
	// MinFrameSize is the smallest valid frame: a nonce and one byte of data
	// (§1.3; PYS DATA_LENGTH_MIN = 25).
	MinFrameSize = NonceSize + 1
)

// Address is a SaltyRTC address (§1.1).
type Address uint8

// Addresses of §1.1.
const (
	// AddrServer is the server, and the unknown address before assignment (0x00).
	AddrServer Address = 0x00
	// AddrInitiator is the initiator (0x01).
	AddrInitiator Address = 0x01
	// AddrFirstResponder is the lowest responder address (0x02).
	AddrFirstResponder Address = 0x02
	// AddrLastResponder is the highest responder address (0xff).
	AddrLastResponder Address = 0xff
)

// IsResponder reports whether a is a responder address (0x02..0xff).
func (a Address) IsResponder() bool { return a >= AddrFirstResponder }

// Cookie is the 16-byte random cookie of one sender→receiver relation (§1.3).
type Cookie [CookieSize]byte

// Equal compares two cookies in constant time.
func (c Cookie) Equal(o Cookie) bool { return subtle.ConstantTimeCompare(c[:], o[:]) == 1 }

// RandomCookie draws a cookie from rand.
func RandomCookie(rand io.Reader) (Cookie, error) {
	var c Cookie
	if _, err := io.ReadFull(rand, c[:]); err != nil {
		return Cookie{}, fmt.Errorf("saltyrtc: random cookie: %w", err)
	}
	return c, nil
}

// Nonce is the decoded 24-byte header of a frame (§1.3), all integers big-endian.
type Nonce struct {
	Cookie      Cookie
	Source      Address
	Destination Address
	Overflow    uint16
	Sequence    uint32
}

// CSN is the 48-bit combined sequence number: overflow << 32 | sequence (§1.3).
func (n Nonce) CSN() uint64 { return uint64(n.Overflow)<<32 | uint64(n.Sequence) }

// Bytes encodes the header; it is also the NaCl nonce of the frame's data.
func (n Nonce) Bytes() cryptobox.Nonce {
	var b cryptobox.Nonce
	copy(b[:CookieSize], n.Cookie[:])
	b[16] = byte(n.Source)
	b[17] = byte(n.Destination)
	binary.BigEndian.PutUint16(b[18:20], n.Overflow)
	binary.BigEndian.PutUint32(b[20:24], n.Sequence)
	return b
}

// ParseNonce decodes the first 24 bytes of b.
func ParseNonce(b []byte) (Nonce, error) {
	if len(b) < NonceSize {
		return Nonce{}, fmt.Errorf("%w: %d bytes", ErrShortFrame, len(b))
	}
	var n Nonce
	copy(n.Cookie[:], b[:CookieSize])
	n.Source = Address(b[16])
	n.Destination = Address(b[17])
	n.Overflow = binary.BigEndian.Uint16(b[18:20])
	n.Sequence = binary.BigEndian.Uint32(b[20:24])
	return n, nil
}

// ParseFrame splits a frame into its nonce and its non-empty data (§1.3).
// The data aliases b.
func ParseFrame(b []byte) (Nonce, []byte, error) {
	if len(b) < MinFrameSize {
		return Nonce{}, nil, fmt.Errorf("%w: %d bytes, need at least %d", ErrShortFrame, len(b), MinFrameSize)
	}
	n, err := ParseNonce(b)
	return n, b[NonceSize:], err
}

// AppendFrame appends nonce ‖ data to dst.
func AppendFrame(dst []byte, n Nonce, data []byte) []byte {
	nb := n.Bytes()
	dst = append(dst, nb[:]...)
	return append(dst, data...)
}
