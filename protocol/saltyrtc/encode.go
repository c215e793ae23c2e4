package saltyrtc

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/vmihailenco/msgpack/v5"
)

// kv is one field of an encoded message, in wire order.
type kv struct {
	k string
	v any
}

// Encode serialises a message as a msgpack map with a string `type`, binary
// fields as bin and integers in their smallest form (§1.3). Maps inside
// values are written with sorted keys, so the output is deterministic.
func Encode(msg Message) ([]byte, error) {
	var fs []kv
	switch m := msg.(type) {
	case ServerHello:
		fs = []kv{{"key", m.Key[:]}}
	case ClientHello:
		fs = []kv{{"key", m.Key[:]}}
	case ClientAuth:
		subs := m.Subprotocols
		if subs == nil {
			subs = []string{}
		}
		fs = []kv{{"your_cookie", m.YourCookie[:]}, {"subprotocols", subs}, {"ping_interval", m.PingInterval}}
		if m.YourKey != nil {
			fs = append(fs, kv{"your_key", m.YourKey[:]})
		}
	case ServerAuth:
		fs = []kv{{"your_cookie", m.YourCookie[:]}}
		if m.SignedKeys != nil {
			fs = append(fs, kv{"signed_keys", m.SignedKeys})
		}
		if m.InitiatorConnected != nil {
			fs = append(fs, kv{"initiator_connected", *m.InitiatorConnected})
		} else {
			ids := make([]int, 0, len(m.Responders)) // an array of ints, not bin
			for _, a := range m.Responders {
				ids = append(ids, int(a))
			}
			fs = append(fs, kv{"responders", ids})
		}
	case NewResponder:
		fs = []kv{{"id", uint8(m.ID)}}
	case NewInitiator:
	case DropResponder:
		fs = []kv{{"id", uint8(m.ID)}}
		if m.Reason != 0 {
			fs = append(fs, kv{"reason", uint16(m.Reason)})
		}
	case SendError:
		fs = []kv{{"id", m.ID[:]}}
	case Disconnected:
		fs = []kv{{"id", uint8(m.ID)}}
	case Token:
		fs = []kv{{"key", m.Key[:]}}
	case Key:
		fs = []kv{{"key", m.Key[:]}}
	case Auth:
		fs = []kv{{"your_cookie", m.YourCookie[:]}}
		if m.Tasks != nil {
			fs = append(fs, kv{"tasks", m.Tasks})
		} else {
			fs = append(fs, kv{"task", m.Task})
		}
		fs = append(fs, kv{"data", m.Data}) // a nil task map encodes as Nil
	case Close:
		fs = []kv{{"reason", uint16(m.Reason)}}
	case Application:
		fs = []kv{{"data", m.Data}}
	case TaskMessage:
		keys := make([]string, 0, len(m.Fields))
		for k := range m.Fields {
			if k == "type" {
				return nil, fmt.Errorf("%w: task message field named type", ErrMessage)
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fs = append(fs, kv{k, m.Fields[k]})
		}
	default:
		return nil, fmt.Errorf("%w: cannot encode %T", ErrMessage, msg)
	}
	return encodeFields(msg.MessageType(), fs)
}

func encodeFields(typ string, fs []kv) ([]byte, error) {
	var buf bytes.Buffer
	e := msgpack.NewEncoder(&buf)
	e.SetSortMapKeys(true)
	e.UseCompactInts(true)
	if err := e.EncodeMapLen(len(fs) + 1); err != nil {
		return nil, fmt.Errorf("saltyrtc: encode %s: %w", typ, err)
	}
	if err := e.EncodeString("type"); err != nil {
		return nil, fmt.Errorf("saltyrtc: encode %s: %w", typ, err)
	}
	if err := e.EncodeString(typ); err != nil {
		return nil, fmt.Errorf("saltyrtc: encode %s: %w", typ, err)
	}
	for _, f := range fs {
		if err := e.EncodeString(f.k); err != nil {
			return nil, fmt.Errorf("saltyrtc: encode %s: %w", typ, err)
		}
		if err := e.Encode(f.v); err != nil {
			return nil, fmt.Errorf("saltyrtc: encode %s.%s: %w", typ, f.k, err)
		}
	}
	return buf.Bytes(), nil
}
