package e2e

import (
	"fmt"
	"io"
	"math"
	"time"
	"unicode/utf8"
)

// maxMetadataPadding bounds the random padding of the metadata plaintext.
const maxMetadataPadding = 16

// Metadata is the content of the metadata box (message payload version 1,
// §3.4): protobuf csp_e2e.MessageMetadata {bytes padding = 1; string
// nickname = 2; fixed64 message_id = 3; uint64 created_at = 4 (ms)}. Unlike
// the envelope header, it is authenticated end to end: a server can change
// the header's created-at but not these.
type Metadata struct {
	// Nickname is the sender's nickname (valid UTF-8), may be empty.
	Nickname string
	// MessageID must equal the envelope header's message id.
	MessageID uint64
	// CreatedAt is when the sender created the message, in milliseconds; the
	// zero Time encodes as 0 (absent).
	CreatedAt time.Time
}

// createdAtMillis converts t for the created_at field.
func createdAtMillis(t time.Time) (uint64, error) {
	if t.IsZero() {
		return 0, nil
	}
	ms := t.UnixMilli()
	if ms <= 0 {
		return 0, fmt.Errorf("%w: created-at before 1970", ErrInvalidField)
	}
	return uint64(ms), nil
}

// appendMetadata appends the protobuf encoding of m, with a padding field
// of pad bytes (0 leaves it out), to dst. Fields at their default value are
// left out, as protobuf 3 does.
func appendMetadata(dst []byte, m Metadata, pad int) ([]byte, error) {
	if !utf8.ValidString(m.Nickname) {
		return nil, fmt.Errorf("%w: nickname is not UTF-8", ErrInvalidField)
	}
	ms, err := createdAtMillis(m.CreatedAt)
	if err != nil {
		return nil, err
	}
	if pad > 0 {
		dst = appendBytesField(dst, 1, make([]byte, pad))
	}
	if m.Nickname != "" {
		dst = appendBytesField(dst, 2, []byte(m.Nickname))
	}
	if m.MessageID != 0 {
		dst = appendFixed64Field(dst, 3, m.MessageID)
	}
	if ms != 0 {
		dst = appendVarintField(dst, 4, ms)
	}
	return dst, nil
}

// encodeMetadata encodes m with 0..maxMetadataPadding-1 bytes of padding,
// the length drawn from rand (one byte).
func encodeMetadata(rand io.Reader, m Metadata) ([]byte, error) {
	var r [1]byte
	if _, err := io.ReadFull(rand, r[:]); err != nil {
		return nil, fmt.Errorf("e2e: metadata padding: %w", err)
	}
	return appendMetadata(nil, m, int(r[0])%maxMetadataPadding)
}

// decodeMetadata decodes a MessageMetadata. Unknown fields are skipped;
// a repeated field keeps its last value, as in protobuf.
func decodeMetadata(b []byte) (Metadata, error) {
	var m Metadata
	r := protoReader{b: b}
	for !r.done() {
		num, wt, err := r.next()
		if err != nil {
			return Metadata{}, err
		}
		switch num {
		case 1:
			if err := expect(num, wt, wireBytes); err != nil {
				return Metadata{}, err
			}
			if _, err := r.bytes(); err != nil {
				return Metadata{}, err
			}
		case 2:
			if err := expect(num, wt, wireBytes); err != nil {
				return Metadata{}, err
			}
			v, err := r.bytes()
			if err != nil {
				return Metadata{}, err
			}
			if !utf8.Valid(v) {
				return Metadata{}, fmt.Errorf("%w: nickname is not UTF-8", ErrInvalidField)
			}
			m.Nickname = string(v)
		case 3:
			if err := expect(num, wt, wireFixed64); err != nil {
				return Metadata{}, err
			}
			if m.MessageID, err = r.fixed64(); err != nil {
				return Metadata{}, err
			}
		case 4:
			if err := expect(num, wt, wireVarint); err != nil {
				return Metadata{}, err
			}
			ms, err := r.varint()
			if err != nil {
				return Metadata{}, err
			}
			if ms > math.MaxInt64 {
				return Metadata{}, fmt.Errorf("%w: created-at out of range", ErrInvalidField)
			}
			m.CreatedAt = time.Time{}
			if ms != 0 {
				m.CreatedAt = time.UnixMilli(int64(ms)).UTC()
			}
		default:
			if err := r.skip(wt); err != nil {
				return Metadata{}, err
			}
		}
	}
	return m, nil
}
