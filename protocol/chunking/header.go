package chunking

import (
	"encoding/binary"
	"fmt"
)

// Mode is a chunking mode (§1.10).
type Mode uint8

// Modes of §1.10. The value is the MM bits of the options byte.
const (
	// UnreliableUnordered uses the 9-byte header; chunks may arrive in any order.
	UnreliableUnordered Mode = 0b000
	// ReliableOrdered uses the 1-byte header; chunks arrive in order.
	ReliableOrdered Mode = 0b110
)

// Header sizes and options bits of §1.10 (Chunking.md v1.1).
const (
	// UnreliableUnorderedHeaderSize is options(1) ‖ message id(4) ‖ serial(4).
	UnreliableUnorderedHeaderSize = 9
	// ReliableOrderedHeaderSize is the options byte alone.
	ReliableOrderedHeaderSize = 1

	// optEndOfMessage is the E bit: set on the last chunk of a message.
	optEndOfMessage = 0b0000_0001
	// optModeMask selects the MM bits.
	optModeMask = 0b0000_0110
	// optReserved are the R bits, which must be zero.
	optReserved = 0b1111_1000
)

// String names the mode.
func (m Mode) String() string {
	switch m {
	case UnreliableUnordered:
		return "unreliable/unordered"
	case ReliableOrdered:
		return "reliable/ordered"
	default:
		return fmt.Sprintf("mode(%d)", uint8(m))
	}
}

// HeaderSize is the chunk header size of the mode, or 0 for an unknown mode.
func (m Mode) HeaderSize() int {
	switch m {
	case UnreliableUnordered:
		return UnreliableUnorderedHeaderSize
	case ReliableOrdered:
		return ReliableOrderedHeaderSize
	default:
		return 0
	}
}

// Header is a decoded chunk header.
type Header struct {
	// Mode is the chunking mode of the options byte.
	Mode Mode
	// End marks the last chunk of its message.
	End bool
	// MessageID and Serial are zero in reliable/ordered mode.
	MessageID, Serial uint32
}

// ParseChunk decodes a chunk of the given mode into its header and its data
// (which aliases chunk). It rejects chunks too short to hold the header and
// one byte of data, options with reserved bits set, and another mode.
func ParseChunk(mode Mode, chunk []byte) (Header, []byte, error) {
	hs := mode.HeaderSize()
	if hs == 0 {
		return Header{}, nil, fmt.Errorf("%w: %d", ErrMode, uint8(mode))
	}
	if len(chunk) <= hs {
		return Header{}, nil, fmt.Errorf("%w: %d bytes for a %d-byte header", ErrShortChunk, len(chunk), hs)
	}
	opt := chunk[0]
	if opt&optReserved != 0 {
		return Header{}, nil, fmt.Errorf("%w: reserved bits set (%#08b)", ErrOptions, opt)
	}
	if got := Mode(opt & optModeMask); got != mode {
		return Header{}, nil, fmt.Errorf("%w: %s chunk in %s mode", ErrOptions, got, mode)
	}
	h := Header{Mode: mode, End: opt&optEndOfMessage != 0}
	if mode == UnreliableUnordered {
		h.MessageID = binary.BigEndian.Uint32(chunk[1:5])
		h.Serial = binary.BigEndian.Uint32(chunk[5:9])
	}
	return h, chunk[hs:], nil
}

// appendHeader appends the header of a chunk to dst.
func appendHeader(dst []byte, mode Mode, end bool, id, serial uint32) []byte {
	opt := byte(mode)
	if end {
		opt |= optEndOfMessage
	}
	dst = append(dst, opt)
	if mode == UnreliableUnordered {
		dst = binary.BigEndian.AppendUint32(dst, id)
		dst = binary.BigEndian.AppendUint32(dst, serial)
	}
	return dst
}
