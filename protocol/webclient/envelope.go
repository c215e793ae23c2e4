package webclient

import "fmt"

// Envelope limits (§2.2).
const (
	// IDLen is the length of a request id and of ack.id: a random 6-character string.
	IDLen = 6
	// MaxSubTypeLen bounds subType; the longest in §2.4 is 25 bytes.
	MaxSubTypeLen = 64
)

// Ack is the reply correlation of §2.2: the request's id and the outcome.
type Ack struct {
	ID      string
	Success bool
	Error   ErrorCode // empty on success
}

// WireMessage is the msgpack envelope of §2.2 (WEB threema.d.ts WireMessage):
// {type, subType, id?, ack?, args?, data?}. Args and Data hold decoded
// msgpack values (map[string]any, []any, []byte, string, bool, numbers).
type WireMessage struct {
	Type    Type
	SubType SubType
	ID      string
	Ack     *Ack
	Args    map[string]any
	Data    any

	// notes collects what decoding ignored (Decode sets it; the typed
	// decoders add to it). Copies of the message share it.
	notes *notes
}

// Ignored lists what decoding m ignored so far — unknown fields, optional
// fields of an unexpected type or value — as field paths and reasons, never
// values (§2.3a: be liberal in what you accept). Callers log it at debug
// level after the typed decoder ran.
func (m WireMessage) Ignored() []string {
	if m.notes == nil {
		return nil
	}
	return append([]string(nil), m.notes.fields...)
}

// validID reports whether s is a 6-character ASCII alphanumeric id.
func validID(s string) bool {
	if len(s) != IDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Validate checks the envelope rules of §2.2 (not the payload).
func (m WireMessage) Validate() error {
	if !m.Type.Valid() {
		return fmt.Errorf("%w: unknown type of %d bytes", ErrEnvelope, len(m.Type))
	}
	if len(m.SubType) == 0 || len(m.SubType) > MaxSubTypeLen {
		return fmt.Errorf("%w: subType of %d bytes", ErrEnvelope, len(m.SubType))
	}
	for i := 0; i < len(m.SubType); i++ {
		c := m.SubType[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return fmt.Errorf("%w: subType is not a camelCase word", ErrEnvelope)
		}
	}
	if m.ID != "" && !validID(m.ID) {
		return fmt.Errorf("%w: id is not %d alphanumerics", ErrEnvelope, IDLen)
	}
	if m.Ack != nil {
		if !validID(m.Ack.ID) {
			return fmt.Errorf("%w: ack.id is not %d alphanumerics", ErrEnvelope, IDLen)
		}
		if m.Ack.Error != "" && (m.Ack.Success || len(m.Ack.Error) > MaxSubTypeLen) {
			return fmt.Errorf("%w: ack.error with success or too long", ErrEnvelope)
		}
	}
	return nil
}

// Encode validates m and serialises it as a msgpack map with sorted keys.
// Optional fields (id, ack, args, data) are left out when empty.
func Encode(m WireMessage) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	top := set{"type": string(m.Type), "subType": string(m.SubType)}
	top.maybeStr("id", m.ID)
	if m.Ack != nil {
		a := set{"id": m.Ack.ID, "success": m.Ack.Success}
		a.maybeStr("error", string(m.Ack.Error))
		top["ack"] = map[string]any(a)
	}
	if m.Args != nil {
		top["args"] = m.Args
	}
	if m.Data != nil {
		top["data"] = m.Data
	}
	return encodeTree(map[string]any(top))
}

// Decode parses b as one strict msgpack WireMessage and validates the
// envelope (§2.2). Unknown top-level keys, and optional ones of an unexpected
// type, are ignored (and listed by Ignored). The payload is checked by the
// typed decoders (DecodeFromWeb, DecodeFromApp, Decode<Name>).
func Decode(b []byte) (WireMessage, error) {
	tree, err := decodeTree(b)
	if err != nil {
		return WireMessage{}, err
	}
	n := &notes{}
	o := &obj{where: "message", m: tree, notes: n}
	o.ignoreUnknown("type", "subType", "id", "ack", "args", "data")
	m := WireMessage{
		Type:    Type(o.str("type", true, 16)),
		SubType: SubType(o.str("subType", true, MaxSubTypeLen)),
		ID:      o.str("id", false, IDLen),
		Data:    tree["data"],
		notes:   n,
	}
	if a := o.sub("ack", false); a != nil {
		m.Ack = &Ack{ID: a.str("id", true, IDLen), Success: a.boolean("success", true),
			Error: ErrorCode(a.str("error", false, MaxSubTypeLen))}
		if a.err != nil {
			return WireMessage{}, fmt.Errorf("%w: %w", ErrEnvelope, a.err)
		}
	}
	if args, present := tree["args"]; present && args != nil {
		if am, ok := args.(map[string]any); ok {
			m.Args = am
		} else {
			o.mismatch("args", false, "is not a map")
		}
	}
	if o.err != nil {
		return WireMessage{}, fmt.Errorf("%w: %w", ErrEnvelope, o.err)
	}
	if err := m.Validate(); err != nil {
		return WireMessage{}, err
	}
	return m, nil
}

// Result is the outcome of a request as its reply reports it (§2.2): from
// ack, or in the legacy style from args.temporaryId, args.success and args.error.
type Result struct {
	// ID is ack.id or args.temporaryId.
	ID      string
	Success bool
	Error   ErrorCode
	// Legacy reports that the result came from args rather than ack.
	Legacy bool
}

// Err returns nil for success, else the sentinel of the error code
// (ErrInternal when a failure names no code).
func (r Result) Err() error {
	if r.Success {
		return nil
	}
	if r.Error == "" {
		return ErrInternal
	}
	return CodeToError(r.Error)
}

// ResultOf reads the correlation of a reply: ack if present, else the legacy
// args. ErrNoResult when there is neither.
func ResultOf(m WireMessage) (Result, error) {
	if m.Ack != nil {
		return Result{ID: m.Ack.ID, Success: m.Ack.Success, Error: m.Ack.Error}, nil
	}
	args, err := asObj("args", m.Args, false, m.notes)
	if err != nil {
		return Result{}, err
	}
	if _, ok := args.get("success", false); !ok {
		return Result{}, ErrNoResult
	}
	r := Result{
		ID:      args.str("temporaryId", false, 64),
		Success: args.boolean("success", true),
		Error:   ErrorCode(args.str("error", false, MaxSubTypeLen)),
		Legacy:  true,
	}
	if args.err != nil {
		return Result{}, args.err
	}
	return r, nil
}

// Reply builds the reply to req with (type, subType): an ack for req.ID
// (success when err is nil, else the code of ErrorToCode(err)), and, when
// req carried args.temporaryId, the legacy args temporaryId/success/error too
// (AND MessageCreateHandler echoes them). args may be nil.
func Reply(req WireMessage, t Type, st SubType, args map[string]any, data any, err error) WireMessage {
	m := WireMessage{Type: t, SubType: st, Data: data}
	var code ErrorCode
	if err != nil {
		code = ErrorToCode(err)
	}
	if req.ID != "" {
		m.Ack = &Ack{ID: req.ID, Success: err == nil, Error: code}
	}
	if tmp, ok := req.Args["temporaryId"].(string); ok && tmp != "" {
		a := set{}
		for k, v := range args {
			a[k] = v
		}
		a["temporaryId"] = tmp
		a["success"] = err == nil
		a.maybeStr("error", string(code))
		args = a
	}
	m.Args = args
	return m
}

// expect checks that a typed decoder got the message kind it decodes. The
// error names the expected kind, never the received strings.
func expect(m WireMessage, t Type, st SubType, more ...SubType) error {
	if m.Type == t {
		if m.SubType == st {
			return nil
		}
		for _, s := range more {
			if m.SubType == s {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: want %s/%s", ErrWrongMessage, t, st)
}

// expectTypes checks a message kind that several types share (the app's
// create/update replies, profile).
func expectTypes(m WireMessage, st SubType, ts ...Type) error {
	for _, t := range ts {
		if m.Type == t && m.SubType == st {
			return nil
		}
	}
	return fmt.Errorf("%w: want %s", ErrWrongMessage, st)
}

// argsOf and dataOf wrap asObj for the two payload slots.
func argsOf(m WireMessage, required bool) (*obj, error) {
	if m.Args == nil {
		return asObj("args", nil, required, m.notes)
	}
	return asObj("args", m.Args, required, m.notes)
}

func dataOf(m WireMessage, required bool) (*obj, error) {
	return asObj("data", m.Data, required, m.notes)
}
