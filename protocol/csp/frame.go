package csp

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Frame and container sizes (§3.3).
const (
	// FrameHeaderLen is the u16-le length prefix of a frame.
	FrameHeaderLen = 2
	// MaxFrameLen is the largest box one frame may carry (MAX_PKT_LEN).
	MaxFrameLen = 8192
	// ContainerHeaderLen is type u8 ‖ 3 reserved zero bytes (OVERHEAD_PKT_HDR).
	ContainerHeaderLen = 4
	// MinFrameLen is the smallest valid box: an empty container, sealed.
	MinFrameLen = ContainerHeaderLen + cryptobox.Overhead
	// MaxContainerLen is the largest container that fits in one frame.
	MaxContainerLen = MaxFrameLen - cryptobox.Overhead
	// MaxPayloadLen is the largest payload data that fits in one frame.
	MaxPayloadLen = MaxContainerLen - ContainerHeaderLen
)

// ParseFrameHeader decodes the length prefix of a frame and checks it against
// MinFrameLen and MaxFrameLen. hdr must hold FrameHeaderLen bytes.
func ParseFrameHeader(hdr []byte) (int, error) {
	if len(hdr) != FrameHeaderLen {
		return 0, fmt.Errorf("%w: frame header of %d bytes", ErrLength, len(hdr))
	}
	n := int(binary.LittleEndian.Uint16(hdr))
	if n > MaxFrameLen {
		return 0, fmt.Errorf("%w: %d bytes, at most %d", ErrFrameTooLarge, n, MaxFrameLen)
	}
	if n < MinFrameLen {
		return 0, fmt.Errorf("%w: frame of %d bytes, at least %d", ErrLength, n, MinFrameLen)
	}
	return n, nil
}

// ReadFrame reads one frame from r and returns its box, stored in buf when buf
// is large enough (cap MaxFrameLen avoids any allocation). It returns io.EOF
// only when r ends cleanly before a frame starts.
func ReadFrame(r io.Reader, buf []byte) ([]byte, error) {
	var hdr [FrameHeaderLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n, err := ParseFrameHeader(hdr[:])
	if err != nil {
		return nil, err
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}

// Session is an established CSP transport: the shared key of TCK and TSK and
// the two directions' nonce counters, continuing from the handshake. SealFrame
// and OpenFrame use separate counters, so one goroutine may seal while another
// opens; neither may be called concurrently with itself.
type Session struct {
	key  cryptobox.SharedKey
	send NonceCounter
	recv NonceCounter
}

// newSession continues a handshake's key and counters.
func newSession(key cryptobox.SharedKey, send, recv NonceCounter) *Session {
	return &Session{key: key, send: send, recv: recv}
}

// SealFrame appends to dst one frame carrying container: u16-le length ‖
// Box(container) with the next send nonce.
func (s *Session) SealFrame(dst, container []byte) ([]byte, error) {
	if len(container) < ContainerHeaderLen || len(container) > MaxContainerLen {
		return dst, fmt.Errorf("%w: container of %d bytes", ErrFrameTooLarge, len(container))
	}
	nonce, err := s.send.Next()
	if err != nil {
		return dst, err
	}
	dst = binary.LittleEndian.AppendUint16(dst, uint16(len(container)+cryptobox.Overhead))
	return s.key.Seal(dst, container, &nonce), nil
}

// OpenFrame opens the box of one frame (without its length prefix) with the
// next receive nonce and appends the container to dst. A failure is fatal for
// the session: the counter has moved on.
func (s *Session) OpenFrame(dst, box []byte) ([]byte, error) {
	if len(box) < MinFrameLen || len(box) > MaxFrameLen {
		return nil, fmt.Errorf("%w: frame of %d bytes", ErrLength, len(box))
	}
	nonce, err := s.recv.Next()
	if err != nil {
		return nil, err
	}
	out, err := s.key.Open(dst, box, &nonce)
	if err != nil {
		return nil, fmt.Errorf("%w: frame %d", ErrDecrypt, s.recv.Last())
	}
	return out, nil
}

// SealPayload encodes p into a container and appends its frame to dst;
// scratch, if large enough, holds the container on the way.
func (s *Session) SealPayload(dst, scratch []byte, p Payload) ([]byte, error) {
	c, err := AppendContainer(scratch[:0], p)
	if err != nil {
		return dst, err
	}
	return s.SealFrame(dst, c)
}
