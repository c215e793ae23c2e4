package e2e

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

func sampleFile() File {
	return File{
		Rendering:     RenderingMedia,
		Key:           cryptobox.SymmetricKey{1, 2, 3},
		BlobID:        BlobID{0xaa, 0xbb},
		MIME:          "image/png",
		Name:          "cat.png",
		Size:          12345,
		Thumbnail:     &Thumbnail{BlobID: BlobID{0xcc}, MIME: "image/jpeg"},
		Caption:       "a cat ✓",
		CorrelationID: "corr-1",
		Metadata:      &FileMetadata{Width: 640, Height: 480, Animated: true, Duration: 1.5},
	}
}

// sampleMessages holds one or more valid values of every supported type.
func sampleMessages(t testing.TB) []Message {
	alice, bob := mustID(t, "ALICE123"), mustID(t, "*GATEWAY")
	g := Group{Creator: alice, ID: 0x0102030405060708}
	return []Message{
		Text{Text: "hello"},
		Text{Text: strings.Repeat("€", MaxTextLen/3)},
		Location{Latitude: 47.3769, Longitude: 8.5417},
		Location{Latitude: -90, Longitude: 180, Accuracy: 12.5},
		Location{Latitude: 1, Longitude: -2, Address: "Bahnhofstrasse 1, Zürich"},
		Location{Latitude: 1, Longitude: -2, Accuracy: 3, Name: "HB", Address: "Zürich"},
		sampleFile(),
		File{MIME: "application/pdf", Size: 0},
		SetProfilePicture{BlobID: BlobID{9}, Size: 4096, Key: cryptobox.SymmetricKey{7}},
		DeleteProfilePicture{},
		DeliveryReceipt{Status: ReceiptReceived, MessageIDs: []uint64{1}},
		DeliveryReceipt{Status: ReceiptDeclined, MessageIDs: []uint64{1, 1 << 63, 42}},
		TypingIndicator{Typing: true},
		TypingIndicator{},
		EditMessage{MessageID: 0xfedcba9876543210, Text: "fixed typo"},
		EditMessage{MessageID: 1},
		DeleteMessage{MessageID: 99},
		GroupSetup{GroupID: 7, Members: []csp.ID{bob, mustID(t, "CAROL999")}},
		GroupSetup{GroupID: 8},
		GroupName{GroupID: 7, Name: "Wanderfreunde"},
		GroupName{GroupID: 7},
		GroupLeave{Group: g},
		GroupSyncRequest{GroupID: 1 << 40},
		GroupSetPhoto{GroupID: 7, BlobID: BlobID{3}, Size: 1 << 20, Key: cryptobox.SymmetricKey{5}},
		GroupDeletePhoto{GroupID: 7},
		GroupText{Group: g, Text: "hi all"},
		GroupLocation{Group: g, Location: Location{Latitude: 10, Longitude: 20, Address: "x"}},
		GroupFile{Group: g, File: sampleFile()},
		GroupDeliveryReceipt{Group: g, Status: ReceiptAcknowledged, MessageIDs: []uint64{5, 6}},
		Reaction{MessageID: 0xfedcba9876543210, Emoji: ThumbsUp},
		Reaction{MessageID: 1, Withdraw: true, Emoji: "\u2764\ufe0f"},
		Reaction{MessageID: 2, Emoji: "\U0001F469\U0001F3FD\u200d\u2764\ufe0f\u200d\U0001F48B\u200d\U0001F468\U0001F3FF"}, // 35 bytes
		GroupReaction{Group: g, Reaction: Reaction{MessageID: 5, Emoji: "🎉"}},
		GroupReaction{Group: g, Reaction: Reaction{MessageID: 5, Withdraw: true, Emoji: ThumbsDown + "\U0001F3FE"}},
		GroupEditMessage{Group: g, Edit: EditMessage{MessageID: 0xfedcba9876543210, Text: "see you at 9"}},
		GroupEditMessage{Group: Group{Creator: bob, ID: 1}, Edit: EditMessage{MessageID: 1}},
		GroupDeleteMessage{Group: g, Delete: DeleteMessage{MessageID: 99}},
	}
}

func TestRoundTripEveryType(t *testing.T) {
	t.Parallel()
	seen := map[byte]bool{}
	for _, m := range sampleMessages(t) {
		seen[m.Type()] = true
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("%T: encode: %v", m, err)
		}
		if b[0] != m.Type() {
			t.Fatalf("%T: type byte 0x%02x", m, b[0])
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%T: decode: %v", m, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Fatalf("%T: round trip\n got %#v\nwant %#v", m, got, m)
		}
		padded, err := EncodeContainer(zeroReader{}, m)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := DecodeContainer(padded); err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("%T: container round trip: %v", m, err)
		}
	}
	for typ, dec := range decoders {
		if dec != nil && !seen[byte(typ)] {
			t.Errorf("type 0x%02x has a decoder but no round-trip sample", typ)
		}
	}
}

func TestKnownEncodings(t *testing.T) {
	t.Parallel()
	alice := mustID(t, "ALICE123")
	g := Group{Creator: alice, ID: 0x0102030405060708}
	for _, tc := range []struct {
		m    Message
		want string // hex of type ‖ inner
	}{
		{Text{Text: "hi"}, "01" + "6869"},
		{TypingIndicator{Typing: true}, "9001"},
		{DeliveryReceipt{Status: ReceiptRead, MessageIDs: []uint64{0x0102030405060708}}, "80" + "02" + "0807060504030201"},
		{Location{Latitude: 1.5, Longitude: -2, Accuracy: 3}, "10" + "312e352c2d322c33"},
		// protobuf: field 1 fixed64 (tag 0x09), field 2 bytes (tag 0x12).
		{EditMessage{MessageID: 1, Text: "x"}, "91" + "090100000000000000" + "120178"},
		{DeleteMessage{MessageID: 2}, "92" + "090200000000000000"},
		{GroupLeave{Group: g}, "4c" + "414c494345313233" + "0807060504030201"},
		{GroupSyncRequest{GroupID: 1}, "51" + "0100000000000000"},
		{GroupSetup{GroupID: 1, Members: []csp.ID{alice}}, "4a" + "0100000000000000" + "414c494345313233"},
		{GroupText{Group: g, Text: "a"}, "41" + "414c494345313233" + "0807060504030201" + "61"},
		{DeleteProfilePicture{}, "19"},
		// csp_e2e.Reaction: field 1 fixed64 (tag 0x09), apply = field 2
		// bytes (tag 0x12), withdraw = field 3 bytes (tag 0x1a); 👍 is
		// f0 9f 91 8d, 👎 f0 9f 91 8e, ❤️ e2 9d a4 ef b8 8f.
		{Reaction{MessageID: 1, Emoji: ThumbsUp}, "82" + "090100000000000000" + "1204f09f918d"},
		{Reaction{MessageID: 0x0102030405060708, Withdraw: true, Emoji: ThumbsDown}, "82" + "090807060504030201" + "1a04f09f918e"},
		{GroupReaction{Group: g, Reaction: Reaction{MessageID: 2, Emoji: "\u2764\ufe0f"}},
			"83" + "414c494345313233" + "0807060504030201" + "090200000000000000" + "1206e29da4efb88f"},
		// Group edit and delete: the member container (creator "ALICE123",
		// group id u64-le) then the 1:1 protobuf (threema-android
		// GroupEditMessage/GroupDeleteMessage.fromByteArray).
		{GroupEditMessage{Group: g, Edit: EditMessage{MessageID: 1, Text: "x"}},
			"93" + "414c494345313233" + "0807060504030201" + "090100000000000000" + "120178"},
		{GroupEditMessage{Group: g, Edit: EditMessage{MessageID: 0x0102030405060708}},
			"93" + "414c494345313233" + "0807060504030201" + "090807060504030201"},
		{GroupDeleteMessage{Group: g, Delete: DeleteMessage{MessageID: 2}},
			"94" + "414c494345313233" + "0807060504030201" + "090200000000000000"},
	} {
		b, err := Encode(tc.m)
		if err != nil {
			t.Fatalf("%T: %v", tc.m, err)
		}
		if got := hexs(b); got != tc.want {
			t.Errorf("%T: %s, want %s", tc.m, got, tc.want)
		}
	}
}

func hexs(b []byte) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
	return sb.String()
}

func TestFileJSONShape(t *testing.T) {
	t.Parallel()
	b, err := Encode(sampleFile())
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"j":1,"i":1,"k":"0102030000000000000000000000000000000000000000000000000000000000",` +
		`"b":"aabb0000000000000000000000000000","m":"image/png","n":"cat.png","s":12345,` +
		`"t":"cc000000000000000000000000000000","p":"image/jpeg","d":"a cat ✓","c":"corr-1",` +
		`"x":{"w":640,"h":480,"a":true,"d":1.5}}`
	if string(b[1:]) != want {
		t.Fatalf("got  %s\nwant %s", b[1:], want)
	}
}

func TestFileDecodeDefaultsAndLegacy(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("AB", 32) // upper-case hex is accepted
	blob := strings.Repeat("01", 16)
	m, err := Decode(append([]byte{TypeFile}, `{"i":1,"k":"`+key+`","b":"`+blob+`","m":"video/mp4","s":0,"t":"`+blob+`","unknown":[1,2]}`...))
	if err != nil {
		t.Fatal(err)
	}
	f := m.(File)
	if f.Rendering != RenderingMedia || f.Thumbnail == nil || f.Thumbnail.MIME != DefaultThumbnailMIME || f.Key[0] != 0xab {
		t.Fatalf("%+v", f)
	}
	// An unknown rendering is shown as a file; whole floats are dimensions.
	m, err = Decode(append([]byte{TypeFile}, `{"j":7,"k":"`+key+`","b":"`+blob+`","m":"a","s":1,"x":{"w":640.0,"h":2}}`...))
	if err != nil {
		t.Fatal(err)
	}
	if f := m.(File); f.Rendering != RenderingFile || f.Metadata.Width != 640 || f.Metadata.Height != 2 {
		t.Fatalf("%+v", f)
	}
}

func TestUnsupportedType(t *testing.T) {
	t.Parallel()
	for _, typ := range []byte{0x00, 0x02, 0x13, 0x15, 0x1a, 0x43, 0x60, 0xa0, 0xfc, 0xff} {
		_, err := Decode([]byte{typ, 1, 2, 3})
		var ute *UnsupportedTypeError
		if !errors.Is(err, ErrUnsupportedType) || !errors.As(err, &ute) || ute.Type != typ {
			t.Errorf("0x%02x: %v", typ, err)
		}
	}
}

func TestIsGroupAndGroupOf(t *testing.T) {
	t.Parallel()
	a, b := mustID(t, "AAAAAAAA"), mustID(t, "BBBBBBBB")
	for _, m := range sampleMessages(t) {
		g, ok := GroupOf(m, a, b)
		if IsGroup(m) != ok {
			t.Errorf("%T: IsGroup %v, GroupOf %v", m, IsGroup(m), ok)
		}
		switch m.(type) {
		case GroupSetup, GroupName, GroupSetPhoto, GroupDeletePhoto:
			if g.Creator != a {
				t.Errorf("%T: creator %v", m, g.Creator)
			}
		case GroupSyncRequest:
			if g.Creator != b {
				t.Errorf("%T: creator %v", m, g.Creator)
			}
		}
	}
	if IsGroup(nil) {
		t.Fatal("nil is a group message")
	}
}

func TestFlagsAndReceipts(t *testing.T) {
	t.Parallel()
	g := Group{Creator: mustID(t, "AAAAAAAA"), ID: 1}
	for _, tc := range []struct {
		m     Message
		flags csp.Flags
		want  bool
	}{
		{Text{Text: "x"}, csp.FlagPush, true},
		{Location{}, 0, true},
		{File{}, csp.FlagPush, true},
		{Text{Text: "x"}, csp.FlagPush | csp.FlagNoDeliveryReceipts, false},
		{GroupText{Group: g, Text: "x"}, csp.FlagPush, false},
		{GroupFile{Group: g}, 0, false},
		{DeliveryReceipt{}, 0, false},
		{GroupDeliveryReceipt{}, 0, false},
		{TypingIndicator{}, 0, false},
		{EditMessage{}, 0, false},
		{DeleteMessage{}, 0, false},
		{SetProfilePicture{}, 0, false},
		{Reaction{}, csp.FlagPush, false},
		{GroupReaction{}, csp.FlagPush, false},
		{nil, 0, false},
	} {
		if got := WantsAutoReceipt(tc.m, tc.flags); got != tc.want {
			t.Errorf("%T flags %#x: %v", tc.m, tc.flags, got)
		}
	}
	if f := SendFlags(TypingIndicator{}); f != csp.FlagNoQueuing|csp.FlagNoAck {
		t.Errorf("typing flags %#x", f)
	}
	if f := SendFlags(DeliveryReceipt{}); f != 0 {
		t.Errorf("receipt flags %#x", f)
	}
	if f := SendFlags(Text{}); f != csp.FlagPush {
		t.Errorf("text flags %#x", f)
	}
	if f := SendFlags(Reaction{}); f != csp.FlagPush {
		t.Errorf("reaction flags %#x", f)
	}
	if f := SendFlags(GroupReaction{}); f != csp.FlagPush {
		t.Errorf("group reaction flags %#x", f)
	}
	// Whatever is sent with its SendFlags gets a receipt exactly when it should.
	for _, m := range sampleMessages(t) {
		want := m.Type() == TypeText || m.Type() == TypeLocation || m.Type() == TypeFile
		if got := WantsAutoReceipt(m, SendFlags(m)); got != want {
			t.Errorf("%T: WantsAutoReceipt(SendFlags) = %v", m, got)
		}
	}
}

func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestStrictDecoders(t *testing.T) {
	t.Parallel()
	creator := []byte("ALICE123")
	key := strings.Repeat("00", 32)
	blob := strings.Repeat("00", 16)
	fileJSON := func(s string) []byte { return append([]byte{TypeFile}, s...) }
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty container", nil, ErrMalformed},
		{"empty text", []byte{TypeText}, ErrInvalidField},
		{"invalid UTF-8 text", []byte{TypeText, 0xff, 0xfe}, ErrInvalidField},
		{"text over 6000", append([]byte{TypeText}, strings.Repeat("a", MaxTextLen+1)...), ErrTooLarge},
		{"typing empty", []byte{TypeTypingIndicator}, ErrMalformed},
		{"typing 2", []byte{TypeTypingIndicator, 2}, ErrInvalidField},
		{"typing trailing", []byte{TypeTypingIndicator, 1, 0}, ErrMalformed},
		{"receipt no ids", []byte{TypeDeliveryReceipt, 1}, ErrMalformed},
		{"receipt truncated id", []byte{TypeDeliveryReceipt, 1, 1, 2, 3}, ErrMalformed},
		{"receipt trailing", cat([]byte{TypeDeliveryReceipt, 1}, u64(1), []byte{0}), ErrMalformed},
		{"receipt status 0", cat([]byte{TypeDeliveryReceipt, 0}, u64(1)), ErrInvalidField},
		{"receipt status 5", cat([]byte{TypeDeliveryReceipt, 5}, u64(1)), ErrInvalidField},
		{"receipt too many", cat([]byte{TypeDeliveryReceipt, 1}, make([]byte, 8*(MaxReceiptIDs+1))), ErrTooLarge},
		{"location one number", []byte("\x101.5"), ErrMalformed},
		{"location four numbers", []byte("\x101,2,3,4"), ErrMalformed},
		{"location NaN", []byte("\x10NaN,1"), ErrMalformed},
		{"location Inf", []byte("\x10inf,1"), ErrMalformed},
		{"location hex float", []byte("\x100x1p1,1"), ErrMalformed},
		{"location spaces", []byte("\x10 1,2"), ErrMalformed},
		{"latitude range", []byte("\x1090.1,2"), ErrInvalidField},
		{"longitude range", []byte("\x101,-180.5"), ErrInvalidField},
		{"negative accuracy", []byte("\x101,2,-1"), ErrInvalidField},
		{"location four lines", []byte("\x101,2\na\nb\nc"), ErrMalformed},
		{"location empty address", []byte("\x101,2\n"), ErrMalformed},
		{"location empty name", []byte("\x101,2\n\naddr"), ErrMalformed},
		{"location bad UTF-8", []byte("\x101,2\n\xff"), ErrInvalidField},
		{"file not JSON", fileJSON(`{"k":`), ErrMalformed},
		{"file trailing", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1} x`), ErrMalformed},
		{"file array", fileJSON(`[]`), ErrMalformed},
		{"file short key", fileJSON(`{"k":"00","b":"` + blob + `","m":"a","s":1}`), ErrInvalidField},
		{"file bad hex key", fileJSON(`{"k":"` + strings.Repeat("zz", 32) + `","b":"` + blob + `","m":"a","s":1}`), ErrInvalidField},
		{"file long blob", fileJSON(`{"k":"` + key + `","b":"` + blob + `00","m":"a","s":1}`), ErrInvalidField},
		{"file bad thumbnail", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1,"t":"xyz"}`), ErrInvalidField},
		{"file no mime", fileJSON(`{"k":"` + key + `","b":"` + blob + `","s":1}`), ErrInvalidField},
		{"file no size", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a"}`), ErrInvalidField},
		{"file negative size", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":-1}`), ErrInvalidField},
		{"file fractional size", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1.5}`), ErrMalformed},
		{"file size as string", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":"1"}`), ErrMalformed},
		{"file fractional width", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1,"x":{"w":1.5}}`), ErrInvalidField},
		{"file metadata not an object", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1,"x":[]}`), ErrMalformed},
		{"file bad UTF-8", fileJSON("{\"k\":\"" + key + "\",\"b\":\"" + blob + "\",\"m\":\"\xff\",\"s\":1}"), ErrInvalidField},
		{"file negative width", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1,"x":{"w":-1}}`), ErrInvalidField},
		{"file caption too long", fileJSON(`{"k":"` + key + `","b":"` + blob + `","m":"a","s":1,"d":"` + strings.Repeat("a", MaxTextLen+1) + `"}`), ErrTooLarge},
		{"edit no id", []byte{TypeEditMessage, 0x12, 0x01, 'x'}, ErrInvalidField},
		{"edit truncated fixed64", []byte{TypeEditMessage, 0x09, 1, 2}, ErrMalformed},
		{"edit wrong wire type", []byte{TypeEditMessage, 0x08, 1}, ErrMalformed},
		{"edit text overruns", cat([]byte{TypeEditMessage, 0x09}, u64(1), []byte{0x12, 5, 'x'}), ErrMalformed},
		{"edit bad UTF-8", cat([]byte{TypeEditMessage, 0x09}, u64(1), []byte{0x12, 1, 0xff}), ErrInvalidField},
		{"edit group wire type", cat([]byte{TypeEditMessage, 0x09}, u64(1), []byte{0x1b}), ErrMalformed},
		{"edit field 0", cat([]byte{TypeEditMessage, 0x09}, u64(1), []byte{0x00, 0}), ErrMalformed},
		{"edit overlong varint", cat([]byte{TypeEditMessage, 0x09}, u64(1), []byte{0x18}, bytes.Repeat([]byte{0xff}, 10), []byte{1}), ErrMalformed},
		{"delete empty", []byte{TypeDeleteMessage}, ErrInvalidField},
		{"delete id 0", cat([]byte{TypeDeleteMessage, 0x09}, u64(0)), ErrInvalidField},
		{"profile picture short", append([]byte{TypeSetProfilePicture}, make([]byte, 51)...), ErrMalformed},
		{"profile picture long", append([]byte{TypeSetProfilePicture}, make([]byte, 53)...), ErrMalformed},
		{"delete picture trailing", []byte{TypeDeleteProfilePicture, 0}, ErrMalformed},
		{"group photo short", cat([]byte{TypeGroupSetPhoto}, u64(1), make([]byte, 51)), ErrMalformed},
		{"group photo long", cat([]byte{TypeGroupSetPhoto}, u64(1), make([]byte, 53)), ErrMalformed},
		{"group photo no id", []byte{TypeGroupSetPhoto, 1, 2}, ErrMalformed},
		{"group delete photo trailing", cat([]byte{TypeGroupDeletePhoto}, u64(1), []byte{0}), ErrMalformed},
		{"group delete photo no id", []byte{TypeGroupDeletePhoto, 1}, ErrMalformed},
		{"group text truncated", cat([]byte{TypeGroupText}, creator, []byte{1, 2, 3}), ErrMalformed},
		{"group text bad creator", cat([]byte{TypeGroupText}, []byte("alice123"), u64(1), []byte("hi")), ErrInvalidField},
		{"group text empty", cat([]byte{TypeGroupText}, creator, u64(1)), ErrInvalidField},
		{"group leave trailing", cat([]byte{TypeGroupLeave}, creator, u64(1), []byte{0}), ErrMalformed},
		{"group sync trailing", cat([]byte{TypeGroupSyncRequest}, u64(1), []byte{0}), ErrMalformed},
		{"group sync truncated", []byte{TypeGroupSyncRequest, 1}, ErrMalformed},
		{"group setup partial id", cat([]byte{TypeGroupSetup}, u64(1), []byte("BOB")), ErrMalformed},
		{"group setup bad id", cat([]byte{TypeGroupSetup}, u64(1), []byte("bob12345")), ErrInvalidField},
		{"group setup duplicate", cat([]byte{TypeGroupSetup}, u64(1), creator, creator), ErrInvalidField},
		{"group setup too many", cat([]byte{TypeGroupSetup}, u64(1), bytes.Repeat(creator, MaxGroupMembers+1)), ErrTooLarge},
		{"group name too long", cat([]byte{TypeGroupName}, u64(1), bytes.Repeat([]byte("a"), MaxGroupNameLen+1)), ErrTooLarge},
		{"group name bad UTF-8", cat([]byte{TypeGroupName}, u64(1), []byte{0xc3}), ErrInvalidField},
		{"group receipt no ids", cat([]byte{TypeGroupDeliveryReceipt}, creator, u64(1), []byte{3}), ErrMalformed},
		{"group location bad", cat([]byte{TypeGroupLocation}, creator, u64(1), []byte("x,y")), ErrMalformed},
		{"group file bad", cat([]byte{TypeGroupFile}, creator, u64(1), []byte("{}")), ErrInvalidField},
		{"reaction empty", []byte{TypeReaction}, ErrInvalidField},
		{"reaction no id", []byte{TypeReaction, 0x12, 0x01, 'x'}, ErrInvalidField},
		{"reaction id 0", cat([]byte{TypeReaction, 0x09}, u64(0), []byte{0x12, 0x01, 'x'}), ErrInvalidField},
		{"reaction no action", cat([]byte{TypeReaction, 0x09}, u64(1)), ErrInvalidField},
		{"reaction empty apply", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x12, 0x00}), ErrInvalidField},
		{"reaction empty withdraw", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x1a, 0x00}), ErrInvalidField},
		{"reaction bad UTF-8", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x12, 0x02, 0xf0, 0x9f}), ErrInvalidField},
		{"reaction too long", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x12, MaxReactionLen + 1}, bytes.Repeat([]byte("a"), MaxReactionLen+1)), ErrTooLarge},
		{"reaction apply as varint", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x10, 0x01}), ErrMalformed},
		{"reaction id as varint", []byte{TypeReaction, 0x08, 0x01, 0x12, 0x01, 'x'}, ErrMalformed},
		{"reaction truncated id", []byte{TypeReaction, 0x09, 1, 2, 3}, ErrMalformed},
		{"reaction emoji overruns", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x12, 0x05, 'x'}), ErrMalformed},
		{"reaction group wire type", cat([]byte{TypeReaction, 0x09}, u64(1), []byte{0x12, 0x01, 'x', 0x1b}), ErrMalformed},
		{"group reaction truncated", cat([]byte{TypeGroupReaction}, creator, []byte{1, 2}), ErrMalformed},
		{"group reaction bad creator", cat([]byte{TypeGroupReaction}, []byte("alice123"), u64(1), []byte{0x09}, u64(1), []byte{0x12, 0x01, 'x'}), ErrInvalidField},
		{"group reaction no reaction", cat([]byte{TypeGroupReaction}, creator, u64(1)), ErrInvalidField},
		{"group edit truncated", cat([]byte{TypeGroupEditMessage}, creator[:5]), ErrMalformed},
		{"group edit bad creator", cat([]byte{TypeGroupEditMessage}, []byte("alice123"), u64(1), []byte{0x09}, u64(1)), ErrInvalidField},
		{"group edit no edit", cat([]byte{TypeGroupEditMessage}, creator, u64(1)), ErrInvalidField},
		{"group edit id 0", cat([]byte{TypeGroupEditMessage}, creator, u64(1), []byte{0x09}, u64(0), []byte{0x12, 1, 'x'}), ErrInvalidField},
		{"group edit bad UTF-8", cat([]byte{TypeGroupEditMessage}, creator, u64(1), []byte{0x09}, u64(1), []byte{0x12, 1, 0xff}), ErrInvalidField},
		{"group edit too long", cat([]byte{TypeGroupEditMessage}, creator, u64(1), []byte{0x09}, u64(1), []byte{0x12, 0xf1, 0x2e}, bytes.Repeat([]byte("a"), MaxTextLen+1)), ErrTooLarge},
		{"group delete truncated", cat([]byte{TypeGroupDeleteMessage}, creator, []byte{1}), ErrMalformed},
		{"group delete no id", cat([]byte{TypeGroupDeleteMessage}, creator, u64(1)), ErrInvalidField},
		{"group delete id as varint", cat([]byte{TypeGroupDeleteMessage}, creator, u64(1), []byte{0x08, 0x01}), ErrMalformed},
		{"group delete truncated id", cat([]byte{TypeGroupDeleteMessage}, creator, u64(1), []byte{0x09, 1, 2}), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := Decode(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, %v; want %v", m, err, tc.want)
			}
			if m != nil {
				t.Fatalf("message %v with error", m)
			}
		})
	}
}

func TestErrorsCarryNoContent(t *testing.T) {
	t.Parallel()
	const secret = "SECRETCONTENT"
	for _, in := range [][]byte{
		append([]byte{TypeText}, append([]byte(secret), 0xff)...),
		[]byte("\x10" + secret + ",1"),
		[]byte("\x101,2\n" + secret + "\n" + secret + "\n" + secret),
		[]byte(`` + "\x17" + `{"k":"` + secret + `"}`),
		[]byte("\x17{" + secret),
		[]byte("\x17" + `{"k":"` + strings.Repeat("0", 64) + `","b":"` + secret + `"}`),
	} {
		_, err := Decode(in)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("error %q", err)
		}
	}
}

func TestEncodeRejectsInvalid(t *testing.T) {
	t.Parallel()
	g := Group{Creator: mustID(t, "AAAAAAAA"), ID: 1}
	for _, m := range []Message{
		nil,
		Text{},
		Text{Text: strings.Repeat("a", MaxTextLen+1)},
		Text{Text: "\xff"},
		Location{Latitude: 91},
		Location{Longitude: 181},
		Location{Accuracy: -1},
		Location{Name: "n"},
		Location{Address: "a\nb"},
		File{},
		File{MIME: "a", Rendering: 9},
		File{MIME: "a", Size: 1 << 63},
		File{MIME: "a", Thumbnail: &Thumbnail{}},
		File{MIME: "a", Metadata: &FileMetadata{Width: -1}},
		DeliveryReceipt{Status: ReceiptRead},
		DeliveryReceipt{Status: 0, MessageIDs: []uint64{1}},
		EditMessage{Text: "x"},
		DeleteMessage{},
		GroupSetup{Members: []csp.ID{{}}},
		GroupSetup{Members: []csp.ID{g.Creator, g.Creator}},
		GroupName{Name: strings.Repeat("a", MaxGroupNameLen+1)},
		GroupText{Group: g},
		GroupText{Text: "no creator"},
		GroupLeave{},
		Reaction{Emoji: ThumbsUp},
		Reaction{MessageID: 1},
		Reaction{MessageID: 1, Withdraw: true},
		Reaction{MessageID: 1, Emoji: strings.Repeat("a", MaxReactionLen+1)},
		Reaction{MessageID: 1, Emoji: "\xf0\x9f"},
		GroupReaction{Reaction: Reaction{MessageID: 1, Emoji: ThumbsUp}},
		GroupReaction{Group: g},
		GroupEditMessage{Edit: EditMessage{MessageID: 1, Text: "no creator"}},
		GroupEditMessage{Group: g},
		GroupEditMessage{Group: g, Edit: EditMessage{MessageID: 1, Text: strings.Repeat("a", MaxTextLen+1)}},
		GroupDeleteMessage{Delete: DeleteMessage{MessageID: 1}},
		GroupDeleteMessage{Group: g},
	} {
		if b, err := Encode(m); err == nil {
			t.Errorf("%#v encoded to %x", m, b)
		}
	}
}
