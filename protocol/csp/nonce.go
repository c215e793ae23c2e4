package csp

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// CookieLen is the length of the client and server cookies CCK and SCK.
const CookieLen = 16

// Cookie is a 16-byte CSP cookie (CCK or SCK, §3.1): the fixed prefix of one
// direction's transport nonces.
type Cookie [CookieLen]byte

// RandomCookie draws a cookie from rand.
func RandomCookie(rand io.Reader) (Cookie, error) {
	var c Cookie
	if _, err := io.ReadFull(rand, c[:]); err != nil {
		return Cookie{}, fmt.Errorf("csp: random cookie: %w", err)
	}
	return c, nil
}

// TransportNonce is the nonce cookie ‖ u64-le(counter) of §3.1.
func TransportNonce(c Cookie, counter uint64) cryptobox.Nonce {
	var n cryptobox.Nonce
	copy(n[:CookieLen], c[:])
	binary.LittleEndian.PutUint64(n[CookieLen:], counter)
	return n
}

// NonceCounter issues the transport nonces of one direction: the counter is
// incremented before use, so the first nonce carries 1 (§3.1), and it can
// neither go back nor wrap around, so a nonce is never issued twice. The
// sender and the receiver of a direction each keep one. It is not safe for
// concurrent use.
type NonceCounter struct {
	cookie Cookie
	last   uint64
}

// NewNonceCounter starts a counter for cookie; its first nonce carries 1.
func NewNonceCounter(cookie Cookie) NonceCounter {
	return NonceCounter{cookie: cookie}
}

// Next increments the counter and returns its nonce, or ErrNonceOverflow once
// the counter is exhausted.
func (c *NonceCounter) Next() (cryptobox.Nonce, error) {
	if c.last == math.MaxUint64 {
		return cryptobox.Nonce{}, ErrNonceOverflow
	}
	c.last++
	return TransportNonce(c.cookie, c.last), nil
}

// Last is the counter value of the last issued nonce (0 before the first).
func (c *NonceCounter) Last() uint64 { return c.last }

// Cookie is the counter's cookie.
func (c *NonceCounter) Cookie() Cookie { return c.cookie }
