package saltyrtc

import (
	"fmt"
	"slices"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Decode parses one msgpack message (§1.3–1.6) and validates it strictly:
// the type must be known, required fields present and non-Nil, binary fields
// msgpack bin of the exact size. Types listed in taskTypes decode as
// TaskMessage (the chosen task's messages, §1.8–1.9). Every failure wraps
// ErrMessage (close 3001).
func Decode(b []byte, taskTypes ...string) (Message, error) {
	m, err := decodeTopMap(b)
	if err != nil {
		return nil, err
	}
	t, ok := m["type"].(string)
	if !ok {
		return nil, fmt.Errorf("%w: no string type", ErrMessage)
	}
	f := &fields{m: m}
	var msg Message
	switch t {
	case TypeServerHello:
		msg = ServerHello{Key: f.key("key")}
	case TypeClientHello:
		msg = ClientHello{Key: f.key("key")}
	case TypeClientAuth:
		msg = decodeClientAuth(f)
	case TypeServerAuth:
		msg = decodeServerAuth(f)
	case TypeNewResponder:
		msg = NewResponder{ID: f.responderID("id")}
	case TypeNewInitiator:
		msg = NewInitiator{}
	case TypeDropResponder:
		msg = decodeDropResponder(f)
	case TypeSendError:
		var se SendError
		copy(se.ID[:], f.bin("id", SendErrorIDSize, true))
		msg = se
	case TypeDisconnected:
		id, _ := f.uint("id", 0xff, true)
		if f.err == nil && Address(id) == AddrServer {
			f.fail("id", "is the server")
		}
		msg = Disconnected{ID: Address(id)}
	case TypeToken:
		msg = Token{Key: f.key("key")}
	case TypeKey:
		msg = Key{Key: f.key("key")}
	case TypeAuth:
		msg = decodeAuth(f)
	case TypeClose:
		r, _ := f.uint("reason", 0xffff, true)
		msg = Close{Reason: CloseCode(r)}
	case TypeApplication:
		v, ok := m["data"]
		if !ok {
			f.fail("data", "is missing")
		}
		msg = Application{Data: v}
	default:
		if !slices.Contains(taskTypes, t) {
			if len(t) > 32 { // the type is peer input: keep logs short
				t = t[:32] + "…"
			}
			return nil, fmt.Errorf("%w: unknown type %q", ErrMessage, t)
		}
		rest := make(map[string]any, len(m)-1)
		for k, v := range m {
			if k != "type" {
				rest[k] = v
			}
		}
		msg = TaskMessage{Type: t, Fields: rest}
	}
	if f.err != nil {
		return nil, fmt.Errorf("%s: %w", t, f.err)
	}
	return msg, nil
}

func (f *fields) responderID(key string) Address {
	id, _ := f.uint(key, 0xff, true)
	if f.err == nil && !Address(id).IsResponder() {
		f.fail(key, "is not a responder address")
	}
	return Address(id)
}

func decodeClientAuth(f *fields) ClientAuth {
	ca := ClientAuth{YourCookie: f.cookie("your_cookie"), Subprotocols: f.strings("subprotocols", true)}
	pi, _ := f.uint("ping_interval", 0xffffffff, true)
	ca.PingInterval = uint32(pi)
	if b := f.bin("your_key", cryptobox.KeySize, false); b != nil {
		k := cryptobox.PublicKey(b)
		ca.YourKey = &k
	}
	return ca
}

func decodeServerAuth(f *fields) ServerAuth {
	sa := ServerAuth{YourCookie: f.cookie("your_cookie"), SignedKeys: f.bin("signed_keys", SignedKeysSize, false)}
	if a, ok := f.array("responders", false); ok {
		sa.Responders = make([]Address, 0, len(a))
		for _, v := range a {
			n, isInt := AsUint(v)
			if !isInt || n > 0xff || !Address(n).IsResponder() {
				f.fail("responders", "holds an invalid address")
				break
			}
			sa.Responders = append(sa.Responders, Address(n))
		}
	}
	if _, ok := f.m["initiator_connected"]; ok {
		b := f.boolean("initiator_connected")
		sa.InitiatorConnected = &b
	}
	if f.err == nil && (sa.Responders == nil) == (sa.InitiatorConnected == nil) {
		f.fail("responders", "and initiator_connected: exactly one must be present")
	}
	return sa
}

func decodeDropResponder(f *fields) DropResponder {
	dr := DropResponder{ID: f.responderID("id")}
	if r, ok := f.uint("reason", 0xffff, false); ok {
		dr.Reason = CloseCode(r)
		if !ValidDropReason(dr.Reason) {
			f.fail("reason", "is not 3001, 3002, 3004 or 3005")
		}
	}
	return dr
}

func decodeAuth(f *fields) Auth {
	a := Auth{YourCookie: f.cookie("your_cookie")}
	_, hasTasks := f.m["tasks"]
	_, hasTask := f.m["task"]
	switch {
	case hasTasks && hasTask:
		f.fail("task", "and tasks are both present")
	case hasTasks:
		a.Tasks = f.strings("tasks", true)
		if f.err == nil && len(a.Tasks) == 0 {
			f.fail("tasks", "is empty")
		}
	case hasTask:
		a.Task = f.str("task", true)
	default:
		f.fail("task", "or tasks is missing")
	}
	v, ok := f.get("data", true)
	if !ok {
		return a
	}
	dm, isMap := v.(map[string]any)
	if !isMap || len(dm) == 0 {
		f.fail("data", "is not a non-empty map")
		return a
	}
	a.Data = make(map[string]map[string]any, len(dm))
	for name, td := range dm {
		if td == nil {
			a.Data[name] = nil
			continue
		}
		tm, isMap := td.(map[string]any)
		if !isMap {
			f.fail("data", "holds task data that is neither a map nor Nil")
			return a
		}
		a.Data[name] = tm
	}
	return a
}
