package e2e

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestMetadataEncoding(t *testing.T) {
	t.Parallel()
	md := Metadata{Nickname: "Bob", MessageID: 0x0102030405060708, CreatedAt: time.UnixMilli(300).UTC()}
	b, err := appendMetadata(nil, md, 2)
	if err != nil {
		t.Fatal(err)
	}
	// padding (1, bytes) ‖ nickname (2, string) ‖ message_id (3, fixed64) ‖ created_at (4, varint).
	const want = "0a020000" + "1203426f62" + "190807060504030201" + "20ac02"
	if hexs(b) != want {
		t.Fatalf("%s\nwant %s", hexs(b), want)
	}
	got, err := decodeMetadata(b)
	if err != nil || !reflect.DeepEqual(got, md) {
		t.Fatalf("%+v %v", got, err)
	}
	if b, _ := appendMetadata(nil, Metadata{}, 0); len(b) != 0 {
		t.Fatalf("defaults encoded: %x", b)
	}
	if _, err := appendMetadata(nil, Metadata{CreatedAt: time.Unix(-5, 0)}, 0); !errors.Is(err, ErrInvalidField) {
		t.Fatalf("pre-1970: %v", err)
	}
	if _, err := appendMetadata(nil, Metadata{Nickname: "\xff"}, 0); !errors.Is(err, ErrInvalidField) {
		t.Fatalf("binary nickname: %v", err)
	}
}

func TestDecodeMetadataStrict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"padding as varint", []byte{0x08, 1}, ErrMalformed},
		{"nickname as fixed64", append([]byte{0x11}, make([]byte, 8)...), ErrMalformed},
		{"message id as varint", []byte{0x18, 1}, ErrMalformed},
		{"created-at as bytes", []byte{0x22, 0}, ErrMalformed},
		{"created-at over int64", []byte{0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, ErrInvalidField},
		{"nickname bad UTF-8", []byte{0x12, 1, 0xff}, ErrInvalidField},
		{"truncated padding", []byte{0x0a, 5, 0}, ErrMalformed},
		{"truncated tag", []byte{0x80}, ErrMalformed},
		{"group start", []byte{0x2b}, ErrMalformed},
		{"unknown fixed32 truncated", []byte{0x2d, 1}, ErrMalformed},
	} {
		if _, err := decodeMetadata(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// Unknown fields of every wire type are skipped; a repeated field keeps
	// its last value.
	in := []byte{0x28, 5, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 0x3a, 1, 'x', 0x45, 1, 2, 3, 4,
		0x19, 1, 0, 0, 0, 0, 0, 0, 0, 0x19, 2, 0, 0, 0, 0, 0, 0, 0}
	md, err := decodeMetadata(in)
	if err != nil || md.MessageID != 2 {
		t.Fatalf("%+v %v", md, err)
	}
	// Delete skips unknown fields too.
	if m, err := Decode([]byte{TypeDeleteMessage, 0x10, 1, 0x09, 3, 0, 0, 0, 0, 0, 0, 0}); err != nil || m != (DeleteMessage{MessageID: 3}) {
		t.Fatalf("%v %v", m, err)
	}
	if _, err := Decode([]byte{TypeDeleteMessage, 0x0a, 0}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("delete wire type: %v", err)
	}
}

func TestParseBlobID(t *testing.T) {
	t.Parallel()
	id, err := ParseBlobID("00112233445566778899AABBCCDDEEFF")
	if err != nil || id.String() != "00112233445566778899aabbccddeeff" {
		t.Fatalf("%v %v", id, err)
	}
	for _, s := range []string{"", "0011", "00112233445566778899aabbccddeeffaa", "zz112233445566778899aabbccddeeff"} {
		if _, err := ParseBlobID(s); !errors.Is(err, ErrInvalidField) {
			t.Errorf("%q: %v", s, err)
		}
	}
}
