package cryptobox

// BLAKE2b (RFC 7693) with the full parameter block: digest size, key, salt and
// personalisation, as libsodium's crypto_generichash_blake2b_salt_personal.
// Threema's key derivation (CSP vouch, E2E and directory keys) uses salt and
// personal strings; golang.org/x/crypto/blake2b supports keys but not salt or
// personalisation, and no maintained Go module that does is available to this
// project, so the compression function is written out here and checked against
// x/crypto/blake2b and Python's hashlib in blake2b_test.go.

import (
	"encoding/binary"
	"fmt"
	"hash"
	"math/bits"
)

// Limits of the BLAKE2b parameter block.
const (
	blake2bBlockSize    = 128
	blake2bMaxSize      = 64
	blake2bMaxKey       = 64
	blake2bSaltSize     = 16
	blake2bPersonalSize = 16
)

var blake2bIV = [8]uint64{
	0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
	0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
}

var blake2bSigma = [12][16]uint8{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
	{11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
	{7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
	{9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
	{2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
	{12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
	{13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
	{6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
	{10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
}

// Blake2bParams configures a BLAKE2b instance. Salt and Personal shorter than
// 16 bytes are zero-padded, as libsodium and Threema do.
type Blake2bParams struct {
	Size     int    // digest size, 1..64 bytes
	Key      []byte // 0..64 bytes; empty for an unkeyed hash
	Salt     []byte // 0..16 bytes
	Personal []byte // 0..16 bytes
}

type blake2b struct {
	h      [8]uint64
	t      [2]uint64
	buf    [blake2bBlockSize]byte
	n      int // bytes in buf
	init   [8]uint64
	keyBlk [blake2bBlockSize]byte
	keyed  bool
	size   int
}

// NewBlake2b returns a BLAKE2b hash with the given parameters.
func NewBlake2b(p Blake2bParams) (hash.Hash, error) {
	if p.Size < 1 || p.Size > blake2bMaxSize || len(p.Key) > blake2bMaxKey ||
		len(p.Salt) > blake2bSaltSize || len(p.Personal) > blake2bPersonalSize {
		return nil, fmt.Errorf("%w: size %d, key %d, salt %d, personal %d bytes",
			ErrBlake2bParams, p.Size, len(p.Key), len(p.Salt), len(p.Personal))
	}
	var param [64]byte
	param[0] = byte(p.Size)
	param[1] = byte(len(p.Key))
	param[2] = 1 // fanout
	param[3] = 1 // depth
	copy(param[32:48], p.Salt)
	copy(param[48:64], p.Personal)
	d := &blake2b{size: p.Size}
	for i := range d.init {
		d.init[i] = blake2bIV[i] ^ binary.LittleEndian.Uint64(param[8*i:])
	}
	if len(p.Key) > 0 {
		d.keyed = true
		copy(d.keyBlk[:], p.Key)
	}
	d.Reset()
	return d, nil
}

// Blake2b256 is the 32-byte BLAKE2b of input with key, salt and personal
// strings (each UTF-8, zero-padded to 16 bytes), the form Threema's key
// derivation uses.
func Blake2b256(key []byte, salt, personal string, input []byte) ([32]byte, error) {
	var out [32]byte
	h, err := NewBlake2b(Blake2bParams{Size: 32, Key: key, Salt: []byte(salt), Personal: []byte(personal)})
	if err != nil {
		return out, err
	}
	h.Write(input)
	copy(out[:], h.Sum(nil))
	return out, nil
}

func (d *blake2b) Reset() {
	d.h = d.init
	d.t = [2]uint64{}
	d.n = 0
	if d.keyed {
		d.buf = d.keyBlk
		d.n = blake2bBlockSize
	}
}

func (d *blake2b) Size() int      { return d.size }
func (d *blake2b) BlockSize() int { return blake2bBlockSize }

func (d *blake2b) Write(p []byte) (int, error) {
	written := len(p)
	for len(p) > 0 {
		// The last block must be compressed with the final flag, so a full
		// buffer is only compressed once more input arrives.
		if d.n == blake2bBlockSize {
			d.compress(d.buf[:], false)
			d.n = 0
		}
		c := copy(d.buf[d.n:], p)
		d.n += c
		p = p[c:]
	}
	return written, nil
}

func (d *blake2b) Sum(in []byte) []byte {
	c := *d // Sum must not change the running state
	clear(c.buf[c.n:])
	c.compress(c.buf[:], true)
	var out [64]byte
	for i, v := range c.h {
		binary.LittleEndian.PutUint64(out[8*i:], v)
	}
	return append(in, out[:c.size]...)
}

func (d *blake2b) compress(block []byte, final bool) {
	n := uint64(d.n)
	if !final {
		n = blake2bBlockSize
	}
	var carry uint64
	d.t[0], carry = bits.Add64(d.t[0], n, 0)
	d.t[1] += carry

	var m [16]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(block[8*i:])
	}
	v := [16]uint64{
		d.h[0], d.h[1], d.h[2], d.h[3], d.h[4], d.h[5], d.h[6], d.h[7],
		blake2bIV[0], blake2bIV[1], blake2bIV[2], blake2bIV[3],
		blake2bIV[4] ^ d.t[0], blake2bIV[5] ^ d.t[1], blake2bIV[6], blake2bIV[7],
	}
	if final {
		v[14] = ^v[14]
	}
	g := func(a, b, c, dd int, x, y uint64) {
		v[a] = v[a] + v[b] + x
		v[dd] = bits.RotateLeft64(v[dd]^v[a], -32)
		v[c] = v[c] + v[dd]
		v[b] = bits.RotateLeft64(v[b]^v[c], -24)
		v[a] = v[a] + v[b] + y
		v[dd] = bits.RotateLeft64(v[dd]^v[a], -16)
		v[c] = v[c] + v[dd]
		v[b] = bits.RotateLeft64(v[b]^v[c], -63)
	}
	for _, s := range blake2bSigma {
		g(0, 4, 8, 12, m[s[0]], m[s[1]])
		g(1, 5, 9, 13, m[s[2]], m[s[3]])
		g(2, 6, 10, 14, m[s[4]], m[s[5]])
		g(3, 7, 11, 15, m[s[6]], m[s[7]])
		g(0, 5, 10, 15, m[s[8]], m[s[9]])
		g(1, 6, 11, 12, m[s[10]], m[s[11]])
		g(2, 7, 8, 13, m[s[12]], m[s[13]])
		g(3, 4, 9, 14, m[s[14]], m[s[15]])
	}
	for i := range d.h {
		d.h[i] ^= v[i] ^ v[i+8]
	}
}
