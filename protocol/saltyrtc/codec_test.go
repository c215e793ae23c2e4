package saltyrtc

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func keyHex(k cryptobox.PublicKey) string { return hex.EncodeToString(k[:]) }

func seqKey(start byte) cryptobox.PublicKey {
	var k cryptobox.PublicKey
	for i := range k {
		k[i] = start + byte(i)
	}
	return k
}

// validMessages holds one message of every type (also the fuzz seeds).
func validMessages() []Message {
	yes := true
	yk := seqKey(100)
	return []Message{
		ServerHello{Key: seqKey(1)},
		ClientHello{Key: seqKey(2)},
		ClientAuth{YourCookie: Cookie{1, 2}, Subprotocols: []string{Subprotocol}, PingInterval: 30, YourKey: &yk},
		ClientAuth{YourCookie: Cookie{3}, Subprotocols: []string{Subprotocol}},
		ServerAuth{YourCookie: Cookie{4}, SignedKeys: bytes.Repeat([]byte{5}, SignedKeysSize), Responders: []Address{2, 3, 255}},
		ServerAuth{YourCookie: Cookie{4}, InitiatorConnected: &yes},
		ServerAuth{YourCookie: Cookie{4}, Responders: []Address{}},
		NewResponder{ID: 2},
		NewInitiator{},
		DropResponder{ID: 3},
		DropResponder{ID: 255, Reason: CloseInitiatorCouldNotDecrypt},
		SendError{ID: [8]byte{1, 2, 0, 0, 0, 0, 0, 9}},
		Disconnected{ID: 1},
		Token{Key: seqKey(3)},
		Key{Key: seqKey(4)},
		Auth{YourCookie: Cookie{6}, Tasks: []string{"a", "b"}, Data: map[string]map[string]any{"a": nil, "b": {"x": true}}},
		Auth{YourCookie: Cookie{6}, Task: "b", Data: map[string]map[string]any{"b": {"exclude": []any{int8(1)}, "handover": true}}},
		Close{Reason: CloseNoSharedTask},
		Application{Data: "hello"},
		Application{Data: nil},
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, m := range validMessages() {
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("%T: %v", m, err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%T: %v", m, err)
		}
		if !reflect.DeepEqual(normalize(got), normalize(m)) {
			t.Errorf("%T: got %#v, want %#v", m, got, m)
		}
	}
}

// normalize makes msgpack's integer widths comparable.
func normalize(m Message) Message {
	if a, ok := m.(Auth); ok {
		for _, d := range a.Data {
			if ex, ok := d["exclude"].([]any); ok {
				for i, v := range ex {
					n, _ := AsUint(v)
					ex[i] = n
				}
			}
		}
	}
	return m
}

// TestEncodeVectors checks exact bytes, derived by hand from the msgpack spec
// and §1.4–1.6 (map with a str `type` first, then the fields).
func TestEncodeVectors(t *testing.T) {
	t.Parallel()
	typ := "a474797065"
	for _, c := range []struct {
		m    Message
		want string
	}{
		{NewResponder{ID: 2}, "82" + typ + "ad" + hex.EncodeToString([]byte("new-responder")) + "a26964" + "02"},
		{NewInitiator{}, "81" + typ + "ad" + hex.EncodeToString([]byte("new-initiator"))},
		{Close{Reason: CloseProtocolError}, "82" + typ + "a5" + hex.EncodeToString([]byte("close")) + "a6" + hex.EncodeToString([]byte("reason")) + "cd0bb9"},
		{DropResponder{ID: 2, Reason: 3005}, "83" + typ + "ae" + hex.EncodeToString([]byte("drop-responder")) + "a26964" + "02" + "a6" + hex.EncodeToString([]byte("reason")) + "cd0bbd"},
		{ServerHello{Key: seqKey(0)}, "82" + typ + "ac" + hex.EncodeToString([]byte("server-hello")) + "a36b6579" + "c420" + keyHex(seqKey(0))},
		{ServerAuth{YourCookie: Cookie{}, Responders: []Address{2, 3}}, "83" + typ + "ab" + hex.EncodeToString([]byte("server-auth")) +
			"ab" + hex.EncodeToString([]byte("your_cookie")) + "c410" + strings.Repeat("00", 16) +
			"aa" + hex.EncodeToString([]byte("responders")) + "920203"},
	} {
		b, err := Encode(c.m)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(b); got != c.want {
			t.Errorf("%T:\n got %s\nwant %s", c.m, got, c.want)
		}
	}
}

// mp builds msgpack by hand: a map of the given key/value byte strings.
func mp(kvs ...string) []byte {
	var b []byte
	b = append(b, 0x80|byte(len(kvs)/2))
	for _, s := range kvs {
		x, _ := hex.DecodeString(s) // table constants; a typo shows up as a failing case
		b = append(b, x...)
	}
	return b
}

func str(s string) string { return hex.EncodeToString(append([]byte{0xa0 | byte(len(s))}, s...)) }
func bin(n int) string    { return "c4" + hex.EncodeToString([]byte{byte(n)}) + strings.Repeat("11", n) }

func TestDecodeStrict(t *testing.T) {
	t.Parallel()
	cookie := bin(16)
	for _, c := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"not a map", []byte{0x92, 0x01, 0x02}},
		{"no type", mp(str("key"), bin(32))},
		{"bin type", mp("c403"+hex.EncodeToString([]byte("key")), bin(32))},
		{"unknown type", mp(str("type"), str("hello"))},
		{"missing field", mp(str("type"), str("server-hello"))},
		{"nil field", mp(str("type"), str("server-hello"), str("key"), "c0")},
		{"short key", mp(str("type"), str("server-hello"), str("key"), bin(31))},
		{"long key", mp(str("type"), str("key"), str("key"), bin(33))},
		{"str instead of bin", mp(str("type"), str("token"), str("key"), "d920"+strings.Repeat("41", 32))},
		{"trailing bytes", append(mp(str("type"), str("new-initiator")), 0x00)},
		{"duplicate key", mp(str("type"), str("new-responder"), str("id"), "02", str("id"), "03")},
		{"non-string key", mp(str("type"), str("new-initiator"), "01", "02")},
		{"responder id 1", mp(str("type"), str("new-responder"), str("id"), "01")},
		{"negative id", mp(str("type"), str("new-responder"), str("id"), "ff")},
		{"id too large", mp(str("type"), str("disconnected"), str("id"), "cd0100")},
		{"disconnected server", mp(str("type"), str("disconnected"), str("id"), "00")},
		{"invalid drop reason", mp(str("type"), str("drop-responder"), str("id"), "02", str("reason"), "cd0bbe")},
		{"send-error id size", mp(str("type"), str("send-error"), str("id"), bin(7))},
		{"short cookie", mp(str("type"), str("auth"), str("your_cookie"), bin(15), str("task"), str("a"), str("data"), "81"+str("a")+"c0")},
		{"auth with task and tasks", mp(str("type"), str("auth"), str("your_cookie"), cookie, str("task"), str("a"), str("tasks"), "91"+str("a"), str("data"), "81"+str("a")+"c0")},
		{"auth with empty tasks", mp(str("type"), str("auth"), str("your_cookie"), cookie, str("tasks"), "90", str("data"), "81"+str("a")+"c0")},
		{"auth data not a map", mp(str("type"), str("auth"), str("your_cookie"), cookie, str("task"), str("a"), str("data"), "01")},
		{"auth data empty", mp(str("type"), str("auth"), str("your_cookie"), cookie, str("task"), str("a"), str("data"), "80")},
		{"auth task data a string", mp(str("type"), str("auth"), str("your_cookie"), cookie, str("task"), str("a"), str("data"), "81"+str("a")+str("x"))},
		{"server-auth both role fields", mp(str("type"), str("server-auth"), str("your_cookie"), cookie, str("responders"), "90", str("initiator_connected"), "c3")},
		{"server-auth no role field", mp(str("type"), str("server-auth"), str("your_cookie"), cookie)},
		{"server-auth responder 0", mp(str("type"), str("server-auth"), str("your_cookie"), cookie, str("responders"), "9100")},
		{"signed_keys size", mp(str("type"), str("server-auth"), str("your_cookie"), cookie, str("signed_keys"), bin(79), str("responders"), "90")},
		{"client-auth ping negative", mp(str("type"), str("client-auth"), str("your_cookie"), cookie, str("subprotocols"), "91"+str("v"), str("ping_interval"), "ff")},
		{"client-auth subprotocols not strings", mp(str("type"), str("client-auth"), str("your_cookie"), cookie, str("subprotocols"), "9101", str("ping_interval"), "00")},
		{"application without data", mp(str("type"), str("application"))},
		{"extension type", mp(str("type"), str("application"), str("data"), "d40101")},
		{"close reason missing", mp(str("type"), str("close"))},
		{"deep nesting", mp(str("type"), str("application"), str("data"), strings.Repeat("91", 40)+"01")},
		{"truncated", mp(str("type"), str("server-hello"), str("key"), "c420")},
		{"bin32 longer than the frame", []byte{0xc6, 0xff, 0xff, 0xff, 0xf0, 1}},
		{"str32 key longer than the frame", []byte{0x81, 0xdb, 0xff, 0xff, 0xff, 0xf0, 1}},
		{"fixstr longer than the frame", []byte{0x81, 0xa4, 't', 'y'}},
	} {
		if m, err := Decode(c.b); !errors.Is(err, ErrMessage) {
			t.Errorf("%s: %#v, %v", c.name, m, err)
		}
	}
}

func TestDecodeAcceptsAnyFieldOrderAndIntWidth(t *testing.T) {
	t.Parallel()
	// Other encoders (msgpack-lite) may order keys differently and widen ints.
	b := mp(str("id"), "cd0002", str("type"), str("new-responder"))
	m, err := Decode(b)
	if err != nil || m != (NewResponder{ID: 2}) {
		t.Fatalf("%#v, %v", m, err)
	}
	b = mp(str("reason"), "d20000"+"0bb9", str("type"), str("close"))
	if m, err = Decode(b); err != nil || m != (Close{Reason: 3001}) {
		t.Fatalf("%#v, %v", m, err)
	}
}

func TestDecodeTaskMessages(t *testing.T) {
	t.Parallel()
	b, err := Encode(TaskMessage{Type: "data", Fields: map[string]any{"p": []byte{1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(b); !errors.Is(err, ErrMessage) {
		t.Fatalf("task type without the task: %v", err)
	}
	m, err := Decode(b, "data")
	if err != nil {
		t.Fatal(err)
	}
	tm := m.(TaskMessage)
	if tm.Type != "data" || !bytes.Equal(tm.Fields["p"].([]byte), []byte{1}) {
		t.Fatalf("%#v", tm)
	}
	if _, err := Encode(TaskMessage{Type: "x", Fields: map[string]any{"type": 1}}); !errors.Is(err, ErrMessage) {
		t.Fatalf("field named type: %v", err)
	}
}
