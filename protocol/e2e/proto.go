package e2e

import (
	"encoding/binary"
	"fmt"
)

// A minimal protobuf wire codec for the four small messages this package
// needs (EditMessage, DeleteMessage, Reaction, MessageMetadata). The module
// does not depend on google.golang.org/protobuf, and a handful of scalar
// fields do not justify adding it: this covers varint, fixed64 and
// length-delimited fields, skips unknown fields of every non-group wire
// type, and rejects groups, field number 0 and overlong varints, as the
// protobuf decoder does.

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

func appendTag(b []byte, num, wt int) []byte {
	return binary.AppendUvarint(b, uint64(num)<<3|uint64(wt))
}

func appendVarintField(b []byte, num int, v uint64) []byte {
	return binary.AppendUvarint(appendTag(b, num, wireVarint), v)
}

func appendFixed64Field(b []byte, num int, v uint64) []byte {
	return binary.LittleEndian.AppendUint64(appendTag(b, num, wireFixed64), v)
}

func appendBytesField(b []byte, num int, v []byte) []byte {
	b = binary.AppendUvarint(appendTag(b, num, wireBytes), uint64(len(v)))
	return append(b, v...)
}

// protoReader walks the fields of one protobuf message.
type protoReader struct {
	b []byte
}

func (r *protoReader) done() bool { return len(r.b) == 0 }

func (r *protoReader) varint() (uint64, error) {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		return 0, fmt.Errorf("%w: protobuf varint", ErrMalformed)
	}
	r.b = r.b[n:]
	return v, nil
}

// next reads a field tag.
func (r *protoReader) next() (num, wt int, err error) {
	t, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	num, wt = int(t>>3), int(t&7)
	if t>>3 == 0 || t>>3 > 1<<29-1 {
		return 0, 0, fmt.Errorf("%w: protobuf field number", ErrMalformed)
	}
	return num, wt, nil
}

func (r *protoReader) fixed64() (uint64, error) {
	if len(r.b) < 8 {
		return 0, fmt.Errorf("%w: protobuf fixed64", ErrMalformed)
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v, nil
}

func (r *protoReader) bytes() ([]byte, error) {
	n, err := r.varint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(r.b)) {
		return nil, fmt.Errorf("%w: protobuf length", ErrMalformed)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v, nil
}

// skip consumes the value of an unknown field.
func (r *protoReader) skip(wt int) error {
	var err error
	switch wt {
	case wireVarint:
		_, err = r.varint()
	case wireFixed64:
		_, err = r.fixed64()
	case wireBytes:
		_, err = r.bytes()
	case wireFixed32:
		if len(r.b) < 4 {
			return fmt.Errorf("%w: protobuf fixed32", ErrMalformed)
		}
		r.b = r.b[4:]
	default:
		return fmt.Errorf("%w: protobuf wire type %d", ErrMalformed, wt)
	}
	return err
}

// expect checks the wire type of a known field.
func expect(num, wt, want int) error {
	if wt != want {
		return fmt.Errorf("%w: protobuf field %d has wire type %d", ErrMalformed, num, wt)
	}
	return nil
}
