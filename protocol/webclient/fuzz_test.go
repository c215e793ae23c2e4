package webclient

import (
	"bytes"
	"testing"
)

func seedCorpus(f *testing.F) {
	for _, s := range samples() {
		b, err := Encode(s.msg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{0x80})
	f.Add([]byte{0xc6, 0x7f, 0xff, 0xff, 0xff})
}

// FuzzDecode checks that the envelope decoder never panics and that whatever
// it accepts re-encodes to bytes that decode to the same envelope.
func FuzzDecode(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		b2, err := Encode(m)
		if err != nil {
			t.Fatalf("accepted message does not re-encode: %v", err)
		}
		m2, err := Decode(b2)
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		b3, err := Encode(m2)
		if err != nil || !bytes.Equal(b2, b3) {
			t.Fatalf("encoding not stable: %v", err)
		}
	})
}

// FuzzDecodeTyped runs both dispatchers' typed decoders on every envelope the
// fuzzer finds; accepted payloads must survive their constructor's encoding.
func FuzzDecodeTyped(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		for _, dec := range []Decoder{DecodeFromWeb, DecodeFromApp} {
			v, err := dec(m)
			if err != nil {
				continue
			}
			reencode(t, m, v)
		}
		_, _ = ResultOf(m)
	})
}

// reencode builds the message again from a decoded payload, for the kinds
// whose constructor takes the payload alone, and checks it decodes to the
// same value.
func reencode(t *testing.T, m WireMessage, v any) {
	t.Helper()
	var again WireMessage
	switch p := v.(type) {
	case ConnectionInfo:
		again = NewConnectionInfo(p)
	case MessagesRequest:
		again = NewMessagesRequest(m.ID, p)
	case TextMessageCreate:
		again = NewTextMessageCreate(m.ID, p)
	case FileMessageCreate:
		again = NewFileMessageCreate(m.ID, p)
	case GroupCreate:
		again = NewGroupCreate(m.ID, "", p)
	case Typing:
		again = NewTyping(p)
	case ReactionRequest:
		again = NewReactionRequest(m.ID, p)
	case EditRequest:
		again = NewEditRequest(m.ID, p)
	case DeleteForEveryoneRequest:
		again = NewDeleteForEveryoneRequest(m.ID, p)
	default:
		return
	}
	b, err := Encode(again)
	if err != nil {
		t.Fatalf("re-encode %T: %v", v, err)
	}
	m2, err := Decode(b)
	if err != nil {
		t.Fatalf("decode re-encoded %T: %v", v, err)
	}
	if _, err := DecodeFromWeb(m2); err != nil {
		if _, err2 := DecodeFromApp(m2); err2 != nil {
			t.Fatalf("re-encoded %T rejected: %v", v, err)
		}
	}
}
