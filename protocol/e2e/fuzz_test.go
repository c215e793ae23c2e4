package e2e

import (
	"bytes"
	"reflect"
	"testing"
)

// Every decoder has a fuzz target seeded with valid encodings. A decoder must
// never panic, and whatever it accepts must encode again and decode to the
// same value.

// checkRoundTrip re-encodes an accepted message and decodes it again.
func checkRoundTrip(t *testing.T, m Message) {
	t.Helper()
	b, err := Encode(m)
	if err != nil {
		t.Fatalf("%T accepted but not encodable: %v", m, err)
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatalf("%T: re-decode: %v", m, err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Fatalf("%T does not round-trip:\n got %#v\nwant %#v", m, back, m)
	}
}

// addSeeds adds the inner encodings of the sample messages of the given
// types (all types if none).
func addSeeds(f *testing.F, types ...byte) {
	for _, m := range sampleMessages(f) {
		if len(types) > 0 && !bytes.Contains(types, []byte{m.Type()}) {
			continue
		}
		b, err := Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzFamily fuzzes the decoders of types: the first input byte picks the
// type, the rest is the inner message.
func fuzzFamily(f *testing.F, types ...byte) {
	addSeeds(f, types...)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		typ := types[int(b[0])%len(types)]
		m, err := Decode(append([]byte{typ}, b[1:]...))
		if err != nil {
			return
		}
		if m.Type() != typ {
			t.Fatalf("type 0x%02x decoded as %T", typ, m)
		}
		checkRoundTrip(t, m)
	})
}

func FuzzUnpad(f *testing.F) {
	for _, n := range []int{0, 1, 31, 255} {
		p, err := Pad(zeroReader{}, bytes.Repeat([]byte{1}, n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := Unpad(b)
		if err != nil {
			return
		}
		n := int(b[len(b)-1])
		if len(u)+n != len(b) || !bytes.Equal(b[len(u):], bytes.Repeat([]byte{byte(n)}, n)) {
			t.Fatalf("unpad of %d bytes gave %d", len(b), len(u))
		}
	})
}

func FuzzDecodeContainer(f *testing.F) {
	for _, m := range sampleMessages(f) {
		p, err := EncodeContainer(zeroReader{}, m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeContainer(b)
		if err != nil {
			return
		}
		checkRoundTrip(t, m)
		p, err := EncodeContainer(zeroReader{}, m)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := DecodeContainer(p); err != nil || !reflect.DeepEqual(back, m) {
			t.Fatalf("container round trip: %v", err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Add([]byte{0x82, 1})
	f.Add([]byte{0x83, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		checkRoundTrip(t, m)
	})
}

func FuzzDecodeText(f *testing.F) { fuzzFamily(f, TypeText, TypeGroupText) }

func FuzzDecodeLocation(f *testing.F) { fuzzFamily(f, TypeLocation, TypeGroupLocation) }

func FuzzDecodeFile(f *testing.F) { fuzzFamily(f, TypeFile, TypeGroupFile) }

func FuzzDecodeReceipt(f *testing.F) {
	fuzzFamily(f, TypeDeliveryReceipt, TypeGroupDeliveryReceipt, TypeTypingIndicator)
}

func FuzzDecodeEditDelete(f *testing.F) { fuzzFamily(f, TypeEditMessage, TypeDeleteMessage) }

// FuzzDecodeGroupEditDelete: the first byte picks 0x93 (even) or 0x94
// (odd); besides the samples, an edit with an unknown field and repeated
// ids, and a delete whose id follows an unknown field.
func FuzzDecodeGroupEditDelete(f *testing.F) {
	head := cat([]byte("ALICE123"), u64(7))
	f.Add(cat([]byte{0}, head, []byte{0x20, 0x05, 0x09}, u64(1), []byte{0x12, 1, 'x', 0x09}, u64(2)))
	f.Add(cat([]byte{1}, head, []byte{0x1a, 0x00, 0x09}, u64(3)))
	fuzzFamily(f, TypeGroupEditMessage, TypeGroupDeleteMessage)
}

// FuzzDecodeReaction adds, to the samples, inputs that only the liberal side
// of the decoder takes: unknown fields, apply and withdraw both present, an
// id after the emoji. The first byte picks 0x82 (even) or 0x83 (odd).
func FuzzDecodeReaction(f *testing.F) {
	id := append([]byte{0x09}, u64(42)...)
	f.Add(cat([]byte{0}, []byte{0x12, 4}, []byte(ThumbsUp), id))
	f.Add(cat([]byte{0}, id, []byte{0x12, 1, 'a', 0x1a, 1, 'b'}))
	f.Add(cat([]byte{0}, []byte{0x20, 0x96, 0x01, 0x2d, 1, 2, 3, 4, 0x32, 0}, id, []byte{0x1a, 1, 'x'}))
	f.Add(cat([]byte{1}, []byte("ALICE123"), u64(7), id, []byte{0x12, 1, 'x'}))
	fuzzFamily(f, TypeReaction, TypeGroupReaction)
}

func FuzzDecodeProfilePicture(f *testing.F) {
	fuzzFamily(f, TypeSetProfilePicture, TypeDeleteProfilePicture)
}

func FuzzDecodeGroupPhoto(f *testing.F) {
	fuzzFamily(f, TypeGroupSetPhoto, TypeGroupDeletePhoto)
}

func FuzzDecodeGroupControl(f *testing.F) {
	fuzzFamily(f, TypeGroupSetup, TypeGroupName, TypeGroupLeave, TypeGroupSyncRequest)
}

// FuzzParseFileJSON fuzzes the file JSON on its own, seeded with JSON text.
func FuzzParseFileJSON(f *testing.F) {
	b, err := sampleFile().marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"i":1,"k":"` + string(bytes.Repeat([]byte("ab"), 32)) + `","b":"` + string(bytes.Repeat([]byte("01"), 16)) + `","m":"a","s":0,"x":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseFile(b)
		if err != nil {
			return
		}
		checkRoundTrip(t, m)
	})
}

func FuzzDecodeMetadata(f *testing.F) {
	for _, md := range []Metadata{{}, {Nickname: "n", MessageID: 1}, {Nickname: "Älice", MessageID: 1 << 63, CreatedAt: fixedTime()}} {
		for _, pad := range []int{0, 1, 15} {
			b, err := appendMetadata(nil, md, pad)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte{0x2a, 0x01, 0xff, 0x35, 1, 2, 3, 4}) // unknown bytes and fixed32 fields
	f.Fuzz(func(t *testing.T, b []byte) {
		md, err := decodeMetadata(b)
		if err != nil {
			return
		}
		enc, err := appendMetadata(nil, md, 0)
		if err != nil {
			t.Fatalf("accepted metadata not encodable: %v", err)
		}
		back, err := decodeMetadata(enc)
		if err != nil || !reflect.DeepEqual(back, md) {
			t.Fatalf("metadata round trip: %+v vs %+v, %v", back, md, err)
		}
	})
}
