package rtclink

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/pion/transport/v5/replaydetector"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// Secure data channel nonce and tracking (§1.8; TWJS nonce.ts, crypto.ts).
const (
	// dcNonceIDOffset, dcNonceOverflowOffset and dcNonceSequenceOffset place
	// the fields of the 24-byte nonce cookie(16) ‖ dc id(u16) ‖ overflow(u16) ‖
	// sequence(u32), all big-endian.
	dcNonceIDOffset       = saltyrtc.CookieSize
	dcNonceOverflowOffset = dcNonceIDOffset + 2
	dcNonceSequenceOffset = dcNonceOverflowOffset + 2
	// dcOverhead is what encryption adds to a message: nonce and MAC, 40 bytes
	// (TWJS DataChannelCryptoContext.OVERHEAD_LENGTH).
	dcOverhead = cryptobox.NonceSize + cryptobox.Overhead
	// dcMaxCSN is the largest combined sequence number, overflow(16) ‖ sequence(32).
	dcMaxCSN = 1<<48 - 1
	// dcReplayWindow is how far below the newest sequence number a message may
	// arrive and still be accepted once. §1.8 receivers must not require order
	// (the channel may be unordered); a sliding window still rejects replays.
	dcReplayWindow = 1024
)

// dcCrypto is the crypto context of one secure data channel instance (§1.8):
// its own random cookie and sequence number for sending, the peer's cookie
// and a replay window for receiving, Box with the peers' session keys.
//
// seal and open may run concurrently with each other; each is called by one
// goroutine at a time (the sender holds the channel's send lock, the receiver
// is pion's read loop of the channel).
type dcCrypto struct {
	id     uint16
	shared cryptobox.SharedKey
	cookie saltyrtc.Cookie // ours
	next   uint64          // our next combined sequence number

	peerCookie saltyrtc.Cookie
	havePeer   bool
	replay     replaydetector.ReplayDetector
}

// newDCCrypto draws the cookie and a random 32-bit start sequence number
// with zero overflow (META Task-WebRTC.md: "cryptographically secure random
// numbers for the cookie and the sequence number").
func newDCCrypto(id uint16, shared cryptobox.SharedKey, rand io.Reader) (*dcCrypto, error) {
	var b [saltyrtc.CookieSize + 4]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return nil, fmt.Errorf("rtclink: data channel cookie: %w", err)
	}
	c := &dcCrypto{id: id, shared: shared, replay: replaydetector.New(dcReplayWindow, dcMaxCSN)}
	copy(c.cookie[:], b[:saltyrtc.CookieSize])
	c.next = uint64(binary.BigEndian.Uint32(b[saltyrtc.CookieSize:]))
	return c, nil
}

// seal appends nonce ‖ Box(plain) to dst and advances the sequence number.
func (c *dcCrypto) seal(dst, plain []byte) ([]byte, error) {
	if c.next > dcMaxCSN {
		return nil, fmt.Errorf("rtclink: data channel %d: %w", c.id, saltyrtc.ErrCSNExhausted)
	}
	var n cryptobox.Nonce
	copy(n[:], c.cookie[:])
	binary.BigEndian.PutUint16(n[dcNonceIDOffset:], c.id)
	binary.BigEndian.PutUint16(n[dcNonceOverflowOffset:], uint16(c.next>>32))
	binary.BigEndian.PutUint32(n[dcNonceSequenceOffset:], uint32(c.next))
	c.next++
	dst = append(dst, n[:]...)
	return c.shared.Seal(dst, plain, &n), nil
}

// open checks the nonce of nonce ‖ box and returns the plaintext: the data
// channel id must be ours, the cookie must differ from ours and never change,
// the combined sequence number must not repeat (or lie before the replay
// window). Only a box that opens updates the state.
func (c *dcCrypto) open(msg []byte) ([]byte, error) {
	if len(msg) < dcOverhead {
		return nil, fmt.Errorf("%w: %d bytes", ErrChannelNonce, len(msg))
	}
	var n cryptobox.Nonce
	copy(n[:], msg[:cryptobox.NonceSize])
	var cookie saltyrtc.Cookie
	copy(cookie[:], n[:saltyrtc.CookieSize])
	switch {
	case cookie.Equal(c.cookie):
		return nil, fmt.Errorf("%w: the peer uses our cookie", ErrChannelNonce)
	case c.havePeer && !cookie.Equal(c.peerCookie):
		return nil, fmt.Errorf("%w: the peer's cookie changed", ErrChannelNonce)
	case binary.BigEndian.Uint16(n[dcNonceIDOffset:]) != c.id:
		return nil, fmt.Errorf("%w: nonce for channel %d on channel %d", ErrChannelNonce,
			binary.BigEndian.Uint16(n[dcNonceIDOffset:]), c.id)
	}
	csn := uint64(binary.BigEndian.Uint16(n[dcNonceOverflowOffset:]))<<32 |
		uint64(binary.BigEndian.Uint32(n[dcNonceSequenceOffset:]))
	accept, ok := c.replay.Check(csn)
	if !ok {
		return nil, fmt.Errorf("%w: on channel %d", ErrReplay, c.id)
	}
	plain, err := c.shared.Open(nil, msg[cryptobox.NonceSize:], &n)
	if err != nil {
		return nil, fmt.Errorf("rtclink: data channel %d: %w", c.id, saltyrtc.ErrDecrypt)
	}
	accept()
	if !c.havePeer {
		c.peerCookie, c.havePeer = cookie, true
	}
	return plain, nil
}
