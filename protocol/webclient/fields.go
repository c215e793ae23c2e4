package webclient

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// obj reads typed fields out of a decoded msgpack map. The first error
// sticks; later getters return zero values. Errors name the field, never its
// value.
type obj struct {
	where string // "args", "data", "data.quote", ...
	m     map[string]any
	err   error
}

// asObj reads v as a map; a missing map is an error only when required.
func asObj(where string, v any, required bool) (*obj, error) {
	if v == nil {
		if required {
			return nil, fmt.Errorf("%w: %s is missing", ErrField, where)
		}
		return &obj{where: where, m: map[string]any{}}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s is not a map", ErrField, where)
	}
	return &obj{where: where, m: m}, nil
}

func (o *obj) fail(base error, key, why string) {
	if o.err == nil {
		o.err = fmt.Errorf("%w: %s.%s %s", base, o.where, key, why)
	}
}

func (o *obj) get(key string, required bool) (any, bool) {
	v, ok := o.m[key]
	if !ok || v == nil {
		if required {
			o.fail(ErrField, key, "is missing")
		}
		return nil, false
	}
	return v, true
}

// str reads a UTF-8 string of at most maxBytes bytes (0: no limit beyond the message).
func (o *obj) str(key string, required bool, maxBytes int) string {
	v, ok := o.get(key, required)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	switch {
	case !isStr:
		o.fail(ErrField, key, "is not a string")
		return ""
	case maxBytes > 0 && len(s) > maxBytes:
		o.fail(ErrTooLong, key, fmt.Sprintf("has %d bytes, limit %d", len(s), maxBytes))
		return ""
	case !utf8.ValidString(s):
		o.fail(ErrField, key, "is not valid UTF-8")
		return ""
	}
	return s
}

// optStr reads an optional string as a pointer (nil when absent).
func (o *obj) optStr(key string, maxBytes int) *string {
	if _, ok := o.get(key, false); !ok {
		return nil
	}
	s := o.str(key, true, maxBytes)
	return &s
}

// bin reads binary data of at most maxBytes bytes (0: no limit).
func (o *obj) bin(key string, required bool, maxBytes int) []byte {
	v, ok := o.get(key, required)
	if !ok {
		return nil
	}
	b, isBin := v.([]byte)
	switch {
	case !isBin:
		o.fail(ErrField, key, "is not bin")
		return nil
	case maxBytes > 0 && len(b) > maxBytes:
		o.fail(ErrTooLong, key, fmt.Sprintf("has %d bytes, limit %d", len(b), maxBytes))
		return nil
	}
	return b
}

// uint reads a non-negative integer of at most maxVal.
func (o *obj) uint(key string, required bool, maxVal uint64) uint64 {
	v, ok := o.get(key, required)
	if !ok {
		return 0
	}
	n, isInt := saltyrtc.AsUint(v)
	if !isInt || n > maxVal {
		o.fail(ErrField, key, "is not an unsigned integer in range")
		return 0
	}
	return n
}

// int reads a signed integer that fits an int64.
func (o *obj) int(key string, required bool) int64 {
	v, ok := o.get(key, required)
	if !ok {
		return 0
	}
	if n, isU := saltyrtc.AsUint(v); isU {
		if n > math.MaxInt64 {
			o.fail(ErrField, key, "is out of range")
			return 0
		}
		return int64(n)
	}
	switch n := v.(type) {
	case int8:
		return int64(n)
	case int16:
		return int64(n)
	case int32:
		return int64(n)
	case int64:
		return n
	}
	o.fail(ErrField, key, "is not an integer")
	return 0
}

// float reads a finite number (float or integer).
func (o *obj) float(key string, required bool) float64 {
	v, ok := o.get(key, required)
	if !ok {
		return 0
	}
	var f float64
	switch n := v.(type) {
	case float32:
		f = float64(n)
	case float64:
		f = n
	default:
		f = float64(o.int(key, true))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		o.fail(ErrField, key, "is not finite")
		return 0
	}
	return f
}

// boolean reads a bool; an absent optional bool is false.
func (o *obj) boolean(key string, required bool) bool {
	v, ok := o.get(key, required)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		o.fail(ErrField, key, "is not a bool")
	}
	return b
}

// array reads an array of at most maxLen elements.
func (o *obj) array(key string, required bool, maxLen int) []any {
	v, ok := o.get(key, required)
	if !ok {
		return nil
	}
	a, isArr := v.([]any)
	switch {
	case !isArr:
		o.fail(ErrField, key, "is not an array")
		return nil
	case maxLen > 0 && len(a) > maxLen:
		o.fail(ErrTooLong, key, fmt.Sprintf("has %d elements, limit %d", len(a), maxLen))
		return nil
	}
	return a
}

// identities reads an array of Threema IDs.
func (o *obj) identities(key string, required bool, maxLen int) []string {
	a := o.array(key, required, maxLen)
	if a == nil {
		if _, present := o.m[key]; present && o.err == nil {
			return []string{}
		}
		return nil
	}
	out := make([]string, 0, len(a))
	for _, v := range a {
		s, isStr := v.(string)
		if !isStr || !ValidIdentity(s) {
			o.fail(ErrField, key, "holds an invalid identity")
			return nil
		}
		out = append(out, s)
	}
	return out
}

// sub reads a nested map; nil when absent and optional.
func (o *obj) sub(key string, required bool) *obj {
	v, ok := o.get(key, required)
	if !ok {
		return nil
	}
	s, err := asObj(o.where+"."+key, v, true)
	if err != nil {
		if o.err == nil {
			o.err = err
		}
		return nil
	}
	return s
}

// oneOf reads a string that must be one of the allowed values.
func (o *obj) oneOf(key string, required bool, allowed ...string) string {
	s := o.str(key, required, 64)
	if s == "" && !required {
		if _, present := o.m[key]; !present || o.m[key] == nil {
			return ""
		}
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	o.fail(ErrField, key, "has a value outside its enumeration")
	return ""
}

// set is a map under construction for encoding: optional fields are left out
// when empty.
type set map[string]any

func (s set) maybeStr(k, v string) {
	if v != "" {
		s[k] = v
	}
}

func (s set) maybeBin(k string, v []byte) {
	if v != nil {
		s[k] = v
	}
}

func (s set) maybeTrue(k string, v bool) {
	if v {
		s[k] = true
	}
}
