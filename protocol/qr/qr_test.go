package qr

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// docExample is the example of threema-web docs/qr_code.md (protocols.md §2.5), wrapped as there.
const docExample = `BTkCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkIjIyMjIyMjIyMjIyMjIyMjIyMjIyMj
IyMjIyMjIyMjIxM3EzcTNxM3EzcTNxM3EzcTNxM3EzcTNxM3EzcTNxM3BNJzYWx0eXJ0Yy5leGFt
cGxlLm9yZw==`

func docPayload() Payload {
	p := Payload{Version: 1337, Permanent: true, Port: 1234, Host: "saltyrtc.example.org"}
	copy(p.InitiatorKey[:], bytes.Repeat([]byte{0x42}, 32))
	copy(p.AuthToken[:], bytes.Repeat([]byte{0x23}, 32))
	copy(p.ServerKey[:], bytes.Repeat([]byte{0x13, 0x37}, 16))
	return p
}

func TestSpecVector(t *testing.T) {
	t.Parallel()
	got, err := docPayload().Encode()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(docExample, "\n", ""); got != want {
		t.Fatalf("Encode:\n got %s\nwant %s", got, want)
	}
	p, err := Decode(docExample)
	if err != nil {
		t.Fatal(err)
	}
	if p != docPayload() {
		t.Fatalf("Decode: %+v", p)
	}
	if !p.HasServerKey() || p.SelfHosted {
		t.Fatalf("flags: %+v", p)
	}
}

func TestRoundTripWithoutServerKey(t *testing.T) {
	t.Parallel()
	p := docPayload()
	p.Version, p.ServerKey, p.SelfHosted, p.Permanent = ProtocolVersion, cryptobox.PublicKey{}, true, false
	p.Host = "127.0.0.1"
	text, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(text)
	if err != nil || got != p || got.HasServerKey() {
		t.Fatalf("%+v, %v", got, err)
	}
}

func TestRejects(t *testing.T) {
	t.Parallel()
	valid, _ := docPayload().Encode()
	raw := func(mutate func([]byte) []byte) string {
		p := docPayload()
		text, _ := p.Encode()
		b, _ := base64Decode(text)
		return base64Encode(mutate(b))
	}
	for name, text := range map[string]string{
		"empty":         "",
		"not base64":    "!!!!",
		"short":         valid[:40],
		"no host":       raw(func(b []byte) []byte { return b[:headerLen] }),
		"unknown bits":  raw(func(b []byte) []byte { b[2] |= 0x80; return b }),
		"port zero":     raw(func(b []byte) []byte { b[headerLen-2], b[headerLen-1] = 0, 0; return b }),
		"no token":      raw(func(b []byte) []byte { clear(b[35:67]); return b }),
		"bad host":      raw(func(b []byte) []byte { return append(b[:headerLen], "a b"...) }),
		"invalid utf-8": raw(func(b []byte) []byte { return append(b[:headerLen], 0xff, 0xfe) }),
		"huge":          strings.Repeat("A", 10*MaxEncodedLen),
	} {
		if _, err := Decode(text); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	p := docPayload()
	p.Host = strings.Repeat("h", MaxHostLen+1)
	if _, err := p.Encode(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Encode of a long host: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(docExample)
	valid, _ := docPayload().Encode()
	f.Add(valid)
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Decode(text)
		if err != nil {
			return
		}
		again, err := p.Encode()
		if err != nil {
			t.Fatalf("decoded payload does not encode: %v", err)
		}
		q, err := Decode(again)
		if err != nil || q != p {
			t.Fatalf("round trip: %+v, %v", q, err)
		}
	})
}
