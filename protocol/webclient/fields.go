package webclient

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// obj reads typed fields out of a decoded msgpack map. The first error
// sticks; later getters return zero values. Errors name the field, never its
// value.
//
// Decoding is liberal in what it accepts (protocols.md §2.3a): a required
// field that is missing or of the wrong type is an error, but an optional
// field of an unexpected type, an optional enumeration with an unknown value
// and a null are ignored as if absent, and noted (notes) so that the caller
// can log them at debug level. Limits on sizes and counts hold for every
// field that is used.
type obj struct {
	where string // "args", "data", "data.quote", ...
	m     map[string]any
	err   error
	notes *notes // shared by every obj of one message; may be nil
}

// maxNotes bounds the notes kept for one message.
const maxNotes = 32

// notes collects what decoding one message ignored: the field paths and why
// (never values).
type notes struct {
	fields []string
}

func (n *notes) add(s string) {
	if n != nil && len(n.fields) < maxNotes {
		n.fields = append(n.fields, s)
	}
}

// asObj reads v as a map; a missing map is an error only when required.
// n collects the notes of the message (nil: none are kept).
func asObj(where string, v any, required bool, n *notes) (*obj, error) {
	if v == nil {
		if required {
			return nil, fmt.Errorf("%w: %s is missing", ErrField, where)
		}
		return &obj{where: where, m: map[string]any{}, notes: n}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s is not a map", ErrField, where)
	}
	return &obj{where: where, m: m, notes: n}, nil
}

func (o *obj) fail(base error, key, why string) {
	if o.err == nil {
		o.err = fmt.Errorf("%w: %s.%s %s", base, o.where, key, why)
	}
}

// mismatch handles a field of the wrong type or value: an error when it is
// required, else the field is ignored and noted.
func (o *obj) mismatch(key string, required bool, why string) {
	if required {
		o.fail(ErrField, key, why)
		return
	}
	o.notes.add(o.where + "." + key + " " + why + ": ignored")
}

// ignoreUnknown notes the keys of o that are not in known (unknown fields
// are ignored, §2.3a).
func (o *obj) ignoreUnknown(known ...string) {
	if o.notes == nil {
		return
	}
	for k := range o.m {
		if !slices.Contains(known, k) {
			o.notes.add(o.where + " has an unknown field of " + strconv.Itoa(len(k)) + " bytes: ignored")
		}
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

// has reports whether key is present with a value other than nil.
func (o *obj) has(key string) bool {
	v, present := o.m[key]
	return present && v != nil
}

// isNil reports whether key is present with a nil value (Threema Web and
// the Android app send nil to mean "remove", e.g. an avatar).
func (o *obj) isNil(key string) bool {
	v, present := o.m[key]
	return present && v == nil
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
		o.mismatch(key, required, "is not a string")
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

// optStr reads an optional string as a pointer (nil when absent or not a string).
func (o *obj) optStr(key string, maxBytes int) *string {
	v, ok := o.get(key, false)
	if !ok {
		return nil
	}
	if _, isStr := v.(string); !isStr {
		o.mismatch(key, false, "is not a string")
		return nil
	}
	s := o.str(key, true, maxBytes)
	return &s
}

// text reads an informative optional value as text: a string, or a number
// written in decimal (Threema Web sends browserVersion as a number).
func (o *obj) text(key string, maxBytes int) string {
	v, ok := o.get(key, false)
	if !ok {
		return ""
	}
	if _, isStr := v.(string); isStr {
		return o.str(key, false, maxBytes)
	}
	if i, isInt := asInt(v); isInt {
		return strconv.FormatInt(i, 10)
	}
	if f, isFloat := asFloat(v); isFloat && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	o.mismatch(key, false, "is neither a string nor a number")
	return ""
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
		o.mismatch(key, required, "is not bin")
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
	if !isInt {
		// A float with an integral value is what a JavaScript number may
		// become on the wire.
		if f, isFloat := asFloat(v); isFloat && f >= 0 && f == math.Trunc(f) && f <= float64(maxVal) && f < 1<<53 {
			return uint64(f)
		}
	}
	if !isInt || n > maxVal {
		o.mismatch(key, required, "is not an unsigned integer in range")
		return 0
	}
	return n
}

// asInt reads any msgpack integer that fits an int64.
func asInt(v any) (int64, bool) {
	if n, isU := saltyrtc.AsUint(v); isU {
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	}
	switch n := v.(type) {
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// asFloat reads a msgpack float.
func asFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float32:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// int reads a signed integer that fits an int64 (an integral float too).
func (o *obj) int(key string, required bool) int64 {
	v, ok := o.get(key, required)
	if !ok {
		return 0
	}
	if n, isInt := asInt(v); isInt {
		return n
	}
	if f, isFloat := asFloat(v); isFloat && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	o.mismatch(key, required, "is not an integer in range")
	return 0
}

// float reads a finite number (float or integer).
func (o *obj) float(key string, required bool) float64 {
	v, ok := o.get(key, required)
	if !ok {
		return 0
	}
	f, isFloat := asFloat(v)
	if !isFloat {
		n, isInt := asInt(v)
		if !isInt {
			o.mismatch(key, required, "is not a number")
			return 0
		}
		f = float64(n)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		o.mismatch(key, required, "is not finite")
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
		o.mismatch(key, required, "is not a bool")
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
		o.mismatch(key, required, "is not an array")
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
		if v, present := o.m[key]; present && o.err == nil {
			if _, isArr := v.([]any); isArr {
				return []string{}
			}
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
	if _, isMap := v.(map[string]any); !isMap {
		o.mismatch(key, required, "is not a map")
		return nil
	}
	s, err := asObj(o.where+"."+key, v, true, o.notes)
	if err != nil {
		if o.err == nil {
			o.err = err
		}
		return nil
	}
	return s
}

// oneOf reads a string that must be one of the allowed values; an optional
// one with another value is ignored.
func (o *obj) oneOf(key string, required bool, allowed ...string) string {
	v, ok := o.get(key, required)
	if !ok {
		return ""
	}
	if s, isStr := v.(string); isStr {
		for _, a := range allowed {
			if s == a {
				return s
			}
		}
	}
	o.mismatch(key, required, "has a value outside its enumeration")
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
