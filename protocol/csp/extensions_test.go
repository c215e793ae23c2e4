package csp

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestExtensionsLayout(t *testing.T) {
	t.Parallel()
	e := Extensions{ClientInfo: "1;Q", HasDeviceID: true, DeviceID: 0x0102030405060708,
		HasPayloadVersion: true, PayloadVersion: 1, HasDeviceCookie: true, DeviceCookie: Cookie{0xdc}}
	b, err := e.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "000300313b51" + // client-info "1;Q"
		"0108000807060504030201" + // device id u64-le
		"02010001" + // payload version 1
		"031000dc000000000000000000000000000000" // device cookie
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("extensions\n got %s\nwant %s", got, want)
	}
	back, err := ParseExtensions(b)
	if err != nil || back != e {
		t.Fatalf("round trip %+v, %v", back, err)
	}
}

func TestParseExtensionsSkipsUnknownTypes(t *testing.T) {
	t.Parallel()
	b := unhex(t, "7f0200abcd"+"02010001")
	e, err := ParseExtensions(b)
	if err != nil || !e.HasPayloadVersion || e.PayloadVersion != 1 {
		t.Fatalf("%+v, %v", e, err)
	}
}

func TestParseExtensionsRejects(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"truncated header":          "0001",
		"length beyond end":         "000500414243",
		"device id of 4 bytes":      "010400" + "01020304",
		"payload version 2":         "02010002",
		"payload version two bytes": "0202000100",
		"device cookie of 15 bytes": "030f00" + strings.Repeat("00", 15),
		"repeated type":             "02010001" + "02010000",
		"client-info not UTF-8":     "000200c328",
	}
	for name, in := range tests {
		if _, err := ParseExtensions(unhex(t, in)); !errors.Is(err, ErrExtensions) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParseExtensions(make([]byte, MaxExtensionsLen+1)); !errors.Is(err, ErrExtensions) {
		t.Errorf("oversized: %v", err)
	}
}
