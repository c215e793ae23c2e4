package csp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEnvelopeLayout(t *testing.T) {
	t.Parallel()
	e := Envelope{
		Sender:    mustID(t, "ALICE001"),
		Receiver:  mustID(t, "BOB00002"),
		MessageID: 0x0102030405060708,
		CreatedAt: 0x65544400,
		Flags:     FlagNoQueuing | FlagNoAck,
		Nickname:  "Al",
		Metadata:  []byte{0xaa, 0xbb},
		Nonce:     [24]byte{0x11, 23: 0x22},
		Box:       bytes.Repeat([]byte{0xcc}, 16),
	}
	b, err := e.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "414c494345303031" + "424f423030303032" + // sender, receiver
		"0807060504030201" + "00445465" + // message id, created-at (LE)
		"06" + "00" + "0200" + // flags, reserved, metadata length
		"416c" + strings.Repeat("00", 30) + // nickname
		"aabb" + // metadata box
		"11" + strings.Repeat("00", 22) + "22" + // nonce
		strings.Repeat("cc", 16) // message box
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("envelope\n got %s\nwant %s", got, want)
	}
	if len(b) != EnvelopeHeaderLen+2+16 || EnvelopeHeaderLen != 88 {
		t.Fatalf("length %d, header %d", len(b), EnvelopeHeaderLen)
	}
	back, err := DecodeEnvelope(b)
	if err != nil || !reflect.DeepEqual(back, e) {
		t.Fatalf("round trip %+v, %v", back, err)
	}
}

func TestEnvelopeLegacyWithoutMetadata(t *testing.T) {
	t.Parallel()
	e := testEnvelope(t)
	e.Metadata = nil
	e.Nickname = ""
	b, err := e.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeEnvelope(b)
	if err != nil || !reflect.DeepEqual(back, e) {
		t.Fatalf("round trip %+v, %v", back, err)
	}
}

func TestDecodeEnvelopeRejects(t *testing.T) {
	t.Parallel()
	valid := func() []byte {
		e := testEnvelope(t)
		b, err := e.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name   string
		mutate func([]byte) []byte
		want   error
	}{
		{"too short", func(b []byte) []byte { return b[:EnvelopeHeaderLen+MinMessageBoxLen-1] }, ErrLength},
		{"sender", func(b []byte) []byte { b[0] = 'a'; return b }, ErrInvalidID},
		{"receiver", func(b []byte) []byte { b[15] = 0; return b }, ErrInvalidID},
		{"reserved byte", func(b []byte) []byte { b[29] = 1; return b }, ErrReserved},
		{"nickname not padded", func(b []byte) []byte { b[40] = 0; b[41] = 'x'; return b }, ErrInvalidPayload},
		{"metadata length beyond end", func(b []byte) []byte { b[30], b[31] = 0xff, 0x00; return b }, ErrLength},
		{"message box too short", func(b []byte) []byte { return b[:len(b)-48+15] }, ErrLength},
		{"oversized", func(b []byte) []byte { return append(b, make([]byte, MaxEnvelopeLen)...) }, ErrFrameTooLarge},
	}
	for _, tt := range tests {
		if _, err := DecodeEnvelope(tt.mutate(valid())); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestEnvelopeAppendRejects(t *testing.T) {
	t.Parallel()
	for name, mutate := range map[string]func(*Envelope){
		"sender":    func(e *Envelope) { e.Sender = ID{} },
		"receiver":  func(e *Envelope) { e.Receiver[0] = '?' },
		"nickname":  func(e *Envelope) { e.Nickname = strings.Repeat("n", 33) },
		"nul":       func(e *Envelope) { e.Nickname = "a\x00b" },
		"empty box": func(e *Envelope) { e.Box = nil },
		"oversized": func(e *Envelope) { e.Box = make([]byte, MaxEnvelopeLen) },
	} {
		e := testEnvelope(t)
		mutate(&e)
		if _, err := e.AppendTo(nil); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}

func TestEnvelopeLargestFitsInOneFrame(t *testing.T) {
	t.Parallel()
	p := handshake(t, Extensions{})
	e := testEnvelope(t)
	e.Box = make([]byte, MaxEnvelopeLen-EnvelopeHeaderLen-len(e.Metadata))
	frame, err := p.client.SealPayload(nil, nil, OutgoingMessage{Envelope: e})
	if err != nil {
		t.Fatal(err)
	}
	if len(frame) != FrameHeaderLen+MaxFrameLen {
		t.Fatalf("frame of %d bytes", len(frame))
	}
	box, err := ReadFrame(bytes.NewReader(frame), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.server.OpenFrame(nil, box)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodePayload(c); err != nil {
		t.Fatal(err)
	}
}

func TestEnvelopeHelpers(t *testing.T) {
	t.Parallel()
	e := testEnvelope(t)
	b, _ := e.AppendTo(nil)
	s, r, mid, fl, err := PeekEnvelopeIDs(b)
	if err != nil || s != e.Sender || r != e.Receiver || mid != e.MessageID || fl != e.Flags {
		t.Fatalf("peek %v %v %x %v %v", s, r, mid, fl, err)
	}
	if err := SetEnvelopeCreatedAt(b, 7); err != nil {
		t.Fatal(err)
	}
	back, _ := DecodeEnvelope(b)
	if back.CreatedAt != 7 {
		t.Fatalf("created-at %d", back.CreatedAt)
	}
	if !(FlagNoQueuing | FlagNoAck).Has(FlagNoAck) || FlagPush.Has(FlagNoAck) {
		t.Fatal("Flags.Has")
	}
}
