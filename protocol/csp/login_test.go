package csp

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestLoginDataLayout(t *testing.T) {
	t.Parallel()
	d := LoginData{Identity: mustID(t, "ECHOECHO"), ExtensionsLen: 0x0123, SCK: Cookie{0xcc, 15: 0xcd}, Vouch: Vouch{0xee, 31: 0xef}}
	b, err := d.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "4543484f4543484f" + // identity "ECHOECHO"
		hex.EncodeToString([]byte(ExtensionIndicator)) + "2301" + // indicator ‖ u16-le 0x0123
		"cc0000000000000000000000000000cd" + // SCK
		strings.Repeat("00", 24) + // reserved: the new vouch format
		"ee" + strings.Repeat("00", 30) + "ef" + // vouch
		strings.Repeat("00", 16) // reserved
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("login data\n got %s\nwant %s", got, want)
	}
	back, err := ParseLoginData(b)
	if err != nil || back != d {
		t.Fatalf("round trip %+v, %v", back, err)
	}
}

func TestLoginDataClientInfo(t *testing.T) {
	t.Parallel()
	d := LoginData{Identity: mustID(t, "ECHOECHO"), ClientInfo: "4.0;A;de;CH"}
	b, err := d.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseLoginData(b)
	if err != nil || back != d {
		t.Fatalf("round trip %+v, %v", back, err)
	}
}

func TestParseLoginDataRejects(t *testing.T) {
	t.Parallel()
	valid := func() []byte {
		b, _ := LoginData{Identity: mustID(t, "ECHOECHO"), ExtensionsLen: 40}.AppendTo(nil)
		return b
	}
	tests := []struct {
		name   string
		mutate func([]byte) []byte
		want   error
	}{
		{"short", func(b []byte) []byte { return b[:127] }, ErrLength},
		{"long", func(b []byte) []byte { return append(b, 0) }, ErrLength},
		{"identity", func(b []byte) []byte { b[3] = '-'; return b }, ErrInvalidID},
		{"legacy vouch nonce", func(b []byte) []byte { b[60] = 1; return b }, ErrLegacyVouch},
		{"reserved tail", func(b []byte) []byte { b[112] = 1; return b }, ErrReserved},
		{"extensions box too short", func(b []byte) []byte { binary.LittleEndian.PutUint16(b[38:], 15); return b }, ErrExtensions},
		{"extensions box too long", func(b []byte) []byte { binary.LittleEndian.PutUint16(b[38:], 0xffff); return b }, ErrExtensions},
		{"client-info not zero padded", func(b []byte) []byte {
			copy(b[8:40], bytes.Repeat([]byte{0}, 32))
			b[8], b[10] = 'a', 'b'
			return b
		}, ErrInvalidPayload},
	}
	for _, tt := range tests {
		if _, err := ParseLoginData(tt.mutate(valid())); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestLoginDataAppendRejects(t *testing.T) {
	t.Parallel()
	id := mustID(t, "ECHOECHO")
	for _, d := range []LoginData{
		{},
		{Identity: id, ExtensionsLen: 3},
		{Identity: id, ExtensionsLen: 40, ClientInfo: "x"},
		{Identity: id, ClientInfo: string(bytes.Repeat([]byte{'x'}, 33))},
		{Identity: id, ClientInfo: ExtensionIndicator},
	} {
		if _, err := d.AppendTo(nil); err == nil {
			t.Errorf("%+v encoded", d)
		}
	}
}
