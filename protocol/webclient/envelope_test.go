package webclient

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// wire builds bytes by hand: hex parts, and "s:" parts as msgpack fixstr
// (header 0xa0|len, then the ASCII).
func wire(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b []byte
	for _, p := range parts {
		if s, ok := strings.CutPrefix(p, "s:"); ok {
			b = append(b, 0xa0|byte(len(s)))
			b = append(b, s...)
			continue
		}
		h, err := hex.DecodeString(strings.ReplaceAll(p, " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, h...)
	}
	return b
}

func TestKnownAnswerConnectionInfo(t *testing.T) {
	t.Parallel()
	id := make([]byte, 16)
	for i := range id {
		id[i] = byte(i)
	}
	// {data: {id: bin8(16)}, subType: "connectionInfo", type: "update"}, keys sorted.
	want := wire(t, "83",
		"s:data", "81", "s:id", "c4 10", "000102030405060708090a0b0c0d0e0f",
		"s:subType", "s:connectionInfo",
		"s:type", "s:update")
	got, err := Encode(NewConnectionInfo(ConnectionInfo{ID: id}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	m, err := Decode(want)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := DecodeConnectionInfo(m)
	if err != nil || !bytes.Equal(ci.ID, id) || ci.Resume != nil {
		t.Fatalf("decoded %+v, %v", ci, err)
	}
}

func TestKnownAnswerConnectionInfoResume(t *testing.T) {
	t.Parallel()
	prev := bytes.Repeat([]byte{0xaa}, 16)
	// resume.sequenceNumber 300 is a uint16 (cd 01 2c).
	want := wire(t, "83",
		"s:data", "82", "s:id", "c4 10", strings.Repeat("bb", 16),
		"s:resume", "82", "s:id", "c4 10", strings.Repeat("aa", 16), "s:sequenceNumber", "cd 012c",
		"s:subType", "s:connectionInfo",
		"s:type", "s:update")
	got, err := Encode(NewConnectionInfo(ConnectionInfo{ID: bytes.Repeat([]byte{0xbb}, 16), Resume: &ResumeInfo{ID: prev, SequenceNumber: 300}}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
}

func TestKnownAnswerMessagesRequest(t *testing.T) {
	t.Parallel()
	// {args: {id: "ECHOECHO", refMsgId: "42", type: "contact"}, id: "abc123",
	//  subType: "messages", type: "request"}
	want := wire(t, "84",
		"s:args", "83", "s:id", "s:ECHOECHO", "s:refMsgId", "s:42", "s:type", "s:contact",
		"s:id", "s:abc123",
		"s:subType", "s:messages",
		"s:type", "s:request")
	msg := NewMessagesRequest("abc123", MessagesRequest{Receiver: Receiver{Type: ReceiverContact, ID: "ECHOECHO"}, RefMsgID: "42"})
	got, err := Encode(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  %x\nwant %x", got, want)
	}
	// An integer refMsgId (older apps) decodes to the same request.
	alt := wire(t, "84",
		"s:args", "83", "s:type", "s:contact", "s:id", "s:ECHOECHO", "s:refMsgId", "2a",
		"s:type", "s:request", "s:subType", "s:messages", "s:id", "s:abc123")
	m, err := Decode(alt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodeMessagesRequest(m)
	if err != nil || r.RefMsgID != "42" || r.Receiver.ID != "ECHOECHO" {
		t.Fatalf("decoded %+v, %v", r, err)
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"not a map", wire(t, "93 01 02 03"), ErrMalformed},
		{"trailing", wire(t, "82", "s:type", "s:update", "s:subType", "s:typing", "c0"), ErrMalformed},
		{"int key", wire(t, "82", "01", "s:update", "s:subType", "s:typing"), ErrMalformed},
		{"duplicate key", wire(t, "82", "s:type", "s:update", "s:type", "s:update"), ErrMalformed},
		{"ext", wire(t, "82", "s:type", "s:update", "s:subType", "d4 01 00"), ErrMalformed},
		{"huge bin", wire(t, "82", "s:type", "s:update", "s:data", "c6 7fffffff 00"), ErrMalformed},
		{"huge array", wire(t, "82", "s:type", "s:update", "s:data", "dd 7fffffff 00"), ErrMalformed},
		{"huge map", wire(t, "df 7fffffff"), ErrMalformed},
		{"deep", append(wire(t, "81", "s:data"), bytes.Repeat([]byte{0x91}, MaxDepth+2)...), ErrMalformed},
		{"unknown type", wire(t, "82", "s:type", "s:notify", "s:subType", "s:typing"), ErrEnvelope},
		{"type not a string", wire(t, "82", "s:type", "01", "s:subType", "s:typing"), ErrEnvelope},
		{"missing subType", wire(t, "81", "s:type", "s:update"), ErrEnvelope},
		{"empty subType", wire(t, "82", "s:type", "s:update", "s:subType", "a0"), ErrEnvelope},
		{"subType with digits", wire(t, "82", "s:type", "s:update", "s:subType", "s:typing2"), ErrEnvelope},
		{"long subType", wire(t, "82", "s:type", "s:update", "s:subType", "d9 41", hex.EncodeToString(bytes.Repeat([]byte{'a'}, 65))), ErrEnvelope},
		{"short id", wire(t, "83", "s:type", "s:request", "s:subType", "s:receivers", "s:id", "s:abc"), ErrEnvelope},
		{"id not alnum", wire(t, "83", "s:type", "s:request", "s:subType", "s:receivers", "s:id", "s:abc-12"), ErrEnvelope},
		{"ack without success", wire(t, "83", "s:type", "s:response", "s:subType", "s:receivers", "s:ack", "81", "s:id", "s:abc123"), ErrEnvelope},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decode(tc.b); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := Decode(make([]byte, MaxMessageSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversize: %v", err)
	}
}

func TestEncodeRejectsInvalidEnvelope(t *testing.T) {
	t.Parallel()
	for _, m := range []WireMessage{
		{Type: "notify", SubType: SubTyping},
		{Type: TypeUpdate},
		{Type: TypeRequest, SubType: SubReceivers, ID: "toolong1"},
		{Type: TypeResponse, SubType: SubReceivers, Ack: &Ack{ID: "x"}},
	} {
		if _, err := Encode(m); !errors.Is(err, ErrEnvelope) {
			t.Errorf("%+v: err = %v", m, err)
		}
	}
}

func TestCodes(t *testing.T) {
	t.Parallel()
	for _, e := range codeTable {
		if !e.code.Valid() {
			t.Errorf("%s not valid", e.code)
		}
		if got := CodeToError(e.code); got != e.err {
			t.Errorf("CodeToError(%s) = %v", e.code, got)
		}
		if got := ErrorToCode(errorsJoin(e.err)); got != e.code {
			t.Errorf("ErrorToCode(wrapped %v) = %s", e.err, got)
		}
	}
	if len(codeTable) != 22 {
		t.Errorf("%d codes, §2.2 lists 20 and Kurier adds 2", len(codeTable))
	}
	if err := CodeToError("nope"); !errors.Is(err, ErrInternal) {
		t.Errorf("unknown code: %v", err)
	}
	for err, want := range map[error]ErrorCode{
		nil:                     CodeInternalError,
		errors.New("x"):         CodeInternalError,
		errorsJoin(ErrTooLong):  CodeValueTooLong,
		errorsJoin(ErrReceiver): CodeBadRequest,
		errorsJoin(ErrField):    CodeBadRequest,
	} {
		if got := ErrorToCode(err); got != want {
			t.Errorf("ErrorToCode(%v) = %s, want %s", err, got, want)
		}
	}
}

func errorsJoin(err error) error { return errors.Join(errors.New("context"), err) }

func TestResultOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		m    WireMessage
		want Result
		err  error
	}{
		{"ack", WireMessage{Ack: &Ack{ID: "abc123", Success: true}}, Result{ID: "abc123", Success: true}, nil},
		{"ack error", WireMessage{Ack: &Ack{ID: "abc123", Error: CodeNoMembers}}, Result{ID: "abc123", Error: CodeNoMembers}, nil},
		{"legacy", WireMessage{Args: map[string]any{"temporaryId": "t", "success": false, "error": "invalidGroup"}},
			Result{ID: "t", Error: CodeInvalidGroup, Legacy: true}, nil},
		{"none", WireMessage{Args: map[string]any{"type": "contact"}}, Result{}, ErrNoResult},
		{"legacy bad success", WireMessage{Args: map[string]any{"success": "yes"}}, Result{}, ErrField},
	}
	for _, tc := range cases {
		got, err := ResultOf(tc.m)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("%s: got %+v, %v", tc.name, got, err)
		}
	}
	if err := (Result{Error: CodeNoMembers}).Err(); !errors.Is(err, ErrNoMembers) {
		t.Errorf("Err: %v", err)
	}
	if err := (Result{}).Err(); !errors.Is(err, ErrInternal) {
		t.Errorf("Err without code: %v", err)
	}
}

func TestReplyEchoesLegacyAndAck(t *testing.T) {
	t.Parallel()
	req := WireMessage{Type: TypeCreate, SubType: SubTextMessage, ID: "abc123", Args: map[string]any{"type": "contact", "id": bob, "temporaryId": "tmp"}}
	m := NewMessageCreated(req, toBob, "", errorsJoin(ErrTooLong))
	if m.Ack == nil || m.Ack.ID != "abc123" || m.Ack.Success || m.Ack.Error != CodeValueTooLong {
		t.Fatalf("ack %+v", m.Ack)
	}
	if m.Args["temporaryId"] != "tmp" || m.Args["success"] != false || m.Args["error"] != "valueTooLong" {
		t.Fatalf("args %+v", m.Args)
	}
	if m.Data != nil {
		t.Fatal("failure carries data")
	}
}
