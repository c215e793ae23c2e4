package saltyrtc

import (
	"bytes"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// maxDepth bounds the nesting of maps and arrays in a decoded message, so a
// small hostile frame cannot recurse without limit.
const maxDepth = 32

// decodeTopMap decodes b as exactly one msgpack map with unique string keys.
func decodeTopMap(b []byte) (map[string]any, error) {
	r := bytes.NewReader(b) // an io.ByteScanner: the decoder reads it without buffering
	d := msgpack.NewDecoder(r)
	v, err := decodeValue(d, &lenGuard{b: b, r: r}, 0)
	if err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMessage, r.Len())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: not a map", ErrMessage)
	}
	return m, nil
}

// lenGuard rejects str and bin headers that declare more bytes than the frame
// holds, before the msgpack library allocates them (up to 4 GiB for a bin32:
// found by FuzzDecode).
type lenGuard struct {
	b []byte
	r *bytes.Reader
}

func (g *lenGuard) check(c byte) error {
	off := len(g.b) - g.r.Len() // position of the code byte
	rest := g.b[off+1:]
	var hdr, n int
	switch {
	case msgpcode.IsFixedString(c):
		n = int(c & 0x1f)
	case c == msgpcode.Str8 || c == msgpcode.Bin8:
		hdr = 1
	case c == msgpcode.Str16 || c == msgpcode.Bin16:
		hdr = 2
	case c == msgpcode.Str32 || c == msgpcode.Bin32:
		hdr = 4
	default:
		return nil
	}
	if len(rest) < hdr {
		return fmt.Errorf("%w: truncated length", ErrMessage)
	}
	for i := range hdr {
		n = n<<8 | int(rest[i])
	}
	if n > len(rest)-hdr {
		return fmt.Errorf("%w: declared length %d exceeds the %d bytes left", ErrMessage, n, len(rest)-hdr)
	}
	return nil
}

// decodeValue decodes one msgpack value: maps as map[string]any (string keys
// only, no duplicates), arrays as []any, bin as []byte, str as string.
func decodeValue(d *msgpack.Decoder, g *lenGuard, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", ErrMessage, maxDepth)
	}
	c, err := d.PeekCode()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMessage, err)
	}
	switch {
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		n, err := d.DecodeMapLen()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMessage, err)
		}
		m := make(map[string]any, min(n, 64))
		for range n {
			kc, err := d.PeekCode()
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMessage, err)
			}
			if !msgpcode.IsString(kc) {
				return nil, fmt.Errorf("%w: map key is not a string", ErrMessage)
			}
			if err := g.check(kc); err != nil {
				return nil, err
			}
			k, err := d.DecodeString()
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMessage, err)
			}
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("%w: duplicate key", ErrMessage)
			}
			v, err := decodeValue(d, g, depth+1)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		n, err := d.DecodeArrayLen()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMessage, err)
		}
		a := make([]any, 0, min(n, 64))
		for range n {
			v, err := decodeValue(d, g, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, nil
	case msgpcode.IsExt(c):
		return nil, fmt.Errorf("%w: extension types are not allowed", ErrMessage)
	}
	if err := g.check(c); err != nil {
		return nil, err
	}
	v, err := d.DecodeInterface()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMessage, err)
	}
	return v, nil
}

// fields reads typed fields out of a decoded message map. The first error
// sticks; later getters return zero values.
type fields struct {
	m   map[string]any
	err error
}

func (f *fields) fail(key, why string) {
	if f.err == nil {
		f.err = fmt.Errorf("%w: field %q %s", ErrMessage, key, why)
	}
}

// get returns the field's value; required fields must be present and non-Nil.
func (f *fields) get(key string, required bool) (any, bool) {
	v, ok := f.m[key]
	if !ok || v == nil {
		if required {
			f.fail(key, "is missing or Nil")
		}
		return nil, false
	}
	return v, true
}

func (f *fields) bin(key string, size int, required bool) []byte {
	v, ok := f.get(key, required)
	if !ok {
		return nil
	}
	b, isBin := v.([]byte)
	if !isBin {
		f.fail(key, "is not bin")
		return nil
	}
	if size >= 0 && len(b) != size {
		f.fail(key, fmt.Sprintf("has %d bytes, want %d", len(b), size))
		return nil
	}
	return b
}

func (f *fields) key(key string) (k [32]byte) {
	copy(k[:], f.bin(key, 32, true))
	return k
}

func (f *fields) cookie(key string) (c Cookie) {
	copy(c[:], f.bin(key, CookieSize, true))
	return c
}

func (f *fields) uint(key string, maxVal uint64, required bool) (uint64, bool) {
	v, ok := f.get(key, required)
	if !ok {
		return 0, false
	}
	n, isInt := AsUint(v)
	if !isInt || n > maxVal {
		f.fail(key, "is not an unsigned integer in range")
		return 0, false
	}
	return n, true
}

func (f *fields) str(key string, required bool) string {
	v, ok := f.get(key, required)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		f.fail(key, "is not a string")
	}
	return s
}

func (f *fields) boolean(key string) bool {
	v, ok := f.get(key, true)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		f.fail(key, "is not a bool")
	}
	return b
}

func (f *fields) array(key string, required bool) ([]any, bool) {
	v, ok := f.get(key, required)
	if !ok {
		return nil, false
	}
	a, isArr := v.([]any)
	if !isArr {
		f.fail(key, "is not an array")
		return nil, false
	}
	return a, true
}

func (f *fields) strings(key string, required bool) []string {
	a, ok := f.array(key, required)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(a))
	for _, v := range a {
		s, isStr := v.(string)
		if !isStr {
			f.fail(key, "holds a non-string")
			return nil
		}
		out = append(out, s)
	}
	return out
}

// AsUint converts any integer a msgpack decoder yields to uint64; negative
// values and non-integers fail. Tasks use it for their own message fields.
func AsUint(v any) (uint64, bool) {
	switch n := v.(type) {
	case uint8:
		return uint64(n), true
	case uint16:
		return uint64(n), true
	case uint32:
		return uint64(n), true
	case uint64:
		return n, true
	case int8:
		return uint64(n), n >= 0
	case int16:
		return uint64(n), n >= 0
	case int32:
		return uint64(n), n >= 0
	case int64:
		return uint64(n), n >= 0
	case int:
		return uint64(n), n >= 0
	}
	return 0, false
}
