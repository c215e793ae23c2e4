package webclient

import (
	"bytes"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// Size limits of the codec.
const (
	// MaxMessageSize bounds one encoded WireMessage: 64 MiB, the largest
	// message the unchunker reassembles (protocol/chunking DefaultMaxMessageSize).
	MaxMessageSize = 64 << 20
	// MaxDepth bounds the nesting of maps and arrays in a message. The deepest
	// legitimate path is response/conversations → conversation → latestMessage
	// → quote/file/thumbnail (6 levels).
	MaxDepth = 16
)

// strictDecoder decodes one msgpack value tree out of a byte slice. It checks
// every declared str/bin length and array/map count against the bytes left
// before the msgpack library allocates anything (the same defence as
// protocol/saltyrtc's value decoder, which fuzzing showed to be needed).
type strictDecoder struct {
	src []byte
	r   *bytes.Reader
	d   *msgpack.Decoder
}

// decodeTree decodes b as exactly one msgpack map with unique string keys.
func decodeTree(b []byte) (map[string]any, error) {
	if len(b) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(b))
	}
	r := bytes.NewReader(b)
	sd := &strictDecoder{src: b, r: r, d: msgpack.NewDecoder(r)}
	v, err := sd.value(0)
	if err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, r.Len())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: top level is not a map", ErrMalformed)
	}
	return m, nil
}

// headerLen returns, for a str/bin/array/map code, how many length bytes
// follow the code and the length encoded in a fix code; ok is false for other codes.
func headerLen(c byte) (hdr, fixed int, ok bool) {
	switch {
	case msgpcode.IsFixedString(c):
		return 0, int(c & 0x1f), true
	case msgpcode.IsFixedArray(c):
		return 0, int(c & 0x0f), true
	case msgpcode.IsFixedMap(c):
		return 0, int(c & 0x0f), true
	case c == msgpcode.Str8 || c == msgpcode.Bin8:
		return 1, 0, true
	case c == msgpcode.Str16 || c == msgpcode.Bin16 || c == msgpcode.Array16 || c == msgpcode.Map16:
		return 2, 0, true
	case c == msgpcode.Str32 || c == msgpcode.Bin32 || c == msgpcode.Array32 || c == msgpcode.Map32:
		return 4, 0, true
	}
	return 0, 0, false
}

// guard rejects a str/bin whose declared byte length, or an array/map whose
// element count, exceeds the bytes left (every element takes at least one byte).
func (sd *strictDecoder) guard(c byte, perItem int) error {
	hdr, n, ok := headerLen(c)
	if !ok {
		return nil
	}
	rest := sd.src[len(sd.src)-sd.r.Len()+1:]
	if len(rest) < hdr {
		return fmt.Errorf("%w: truncated length", ErrMalformed)
	}
	for i := range hdr {
		n = n<<8 | int(rest[i])
	}
	if n > (len(rest)-hdr)/perItem {
		return fmt.Errorf("%w: declared length %d exceeds the %d bytes left", ErrMalformed, n, len(rest)-hdr)
	}
	return nil
}

func (sd *strictDecoder) value(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", ErrMalformed, MaxDepth)
	}
	c, err := sd.d.PeekCode()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	switch {
	case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
		return sd.mapValue(c, depth)
	case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
		if err := sd.guard(c, 1); err != nil {
			return nil, err
		}
		n, err := sd.d.DecodeArrayLen()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		a := make([]any, 0, min(n, 1024))
		for range n {
			v, err := sd.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, nil
	case msgpcode.IsExt(c):
		return nil, fmt.Errorf("%w: extension type", ErrMalformed)
	}
	if err := sd.guard(c, 1); err != nil {
		return nil, err
	}
	v, err := sd.d.DecodeInterface()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return v, nil
}

func (sd *strictDecoder) mapValue(c byte, depth int) (map[string]any, error) {
	if err := sd.guard(c, 2); err != nil {
		return nil, err
	}
	n, err := sd.d.DecodeMapLen()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	m := make(map[string]any, min(n, 64))
	for range n {
		kc, err := sd.d.PeekCode()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if !msgpcode.IsString(kc) {
			return nil, fmt.Errorf("%w: map key is not a string", ErrMalformed)
		}
		if err := sd.guard(kc, 1); err != nil {
			return nil, err
		}
		k, err := sd.d.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("%w: duplicate key", ErrMalformed)
		}
		v, err := sd.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

// encodeTree serialises v (maps with string keys, slices, []byte, strings,
// bools, numbers) with sorted map keys and the smallest integer forms, so the
// output is deterministic.
func encodeTree(v any) ([]byte, error) {
	var buf bytes.Buffer
	e := msgpack.NewEncoder(&buf)
	e.SetSortMapKeys(true)
	e.UseCompactInts(true)
	if err := e.Encode(v); err != nil {
		return nil, fmt.Errorf("webclient: encode: %w", err)
	}
	if buf.Len() > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, buf.Len())
	}
	return buf.Bytes(), nil
}
