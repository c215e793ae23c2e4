package csp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// validPayloads holds one valid value of every payload type, with the hex of
// its container where the layout is fixed by §3.3.
func validPayloads(t testing.TB) []struct {
	p   Payload
	hex string
} {
	env := testEnvelope(t)
	return []struct {
		p   Payload
		hex string
	}{
		{EchoRequest{Data: []byte("ping")}, "00000000" + "70696e67"},
		{EchoResponse{Data: []byte("ping")}, "80000000" + "70696e67"},
		{OutgoingMessage{Envelope: env}, ""},
		{IncomingMessage{Envelope: env}, ""},
		{ServerAck{Receiver: mustID(t, "BOB00002"), MessageID: 0x0102030405060708}, "81000000" + "424f423030303032" + "0807060504030201"},
		{ClientAck{Sender: mustID(t, "ALICE001"), MessageID: 1}, "82000000" + "414c494345303031" + "0100000000000000"},
		{UnblockIncomingMessages{}, "03000000"},
		{SetPushToken{PushToken{TokenType: PushTokenFCM, Token: []byte("tok")}}, "20000000" + "11" + "746f6b"},
		{SetHighPriorityPushToken{PushToken{TokenType: PushTokenAPNsFirst, Token: []byte{1}}}, "24000000" + "01" + "01"},
		{DeletePushTokens{DeviceIDs: []uint64{1, 2}}, "25000000" + "0100000000000000" + "0200000000000000"},
		{SetConnectionIdleTimeout{Seconds: 300}, "30000000" + "2c01"},
		{QueueSendComplete{}, "d0000000"},
		{DeviceCookieChangeIndication{}, "d2000000"},
		{ClearDeviceCookieChangeIndication{}, "d3000000"},
		{CloseError{CanReconnect: true, Message: "bye"}, "e0000000" + "01" + "627965"},
		{Alert{Message: "hi"}, "e1000000" + "6869"},
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tt := range validPayloads(t) {
		c, err := AppendContainer(nil, tt.p)
		if err != nil {
			t.Fatalf("%s: %v", tt.p.PayloadType(), err)
		}
		if tt.hex != "" && hex.EncodeToString(c) != tt.hex {
			t.Errorf("%s: container %x, want %s", tt.p.PayloadType(), c, tt.hex)
		}
		back, err := DecodePayload(c)
		if err != nil {
			t.Fatalf("%s: decode: %v", tt.p.PayloadType(), err)
		}
		if !reflect.DeepEqual(back, tt.p) {
			t.Errorf("%s: round trip %#v, want %#v", tt.p.PayloadType(), back, tt.p)
		}
		if strings.HasPrefix(tt.p.PayloadType().String(), "unknown") {
			t.Errorf("%#02x has no name", uint8(tt.p.PayloadType()))
		}
	}
}

func TestDecodePayloadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		hex  string
		want error
	}{
		{"short container", "000000", ErrLength},
		{"reserved header byte", "00000100", ErrReserved},
		{"unknown type", "77000000", ErrUnknownPayload},
		{"server ack short", "81000000" + "424f423030303032" + "08070605040302", ErrLength},
		{"client ack bad id", "82000000" + "626f623030303032" + "0807060504030201", ErrInvalidID},
		{"unblock with data", "03000000" + "00", ErrLength},
		{"push token empty", "20000000", ErrLength},
		{"push token type", "20000000" + "07" + "01", ErrInvalidPayload},
		{"push token too long", "24000000" + "11" + strings.Repeat("00", 256), ErrLength},
		{"delete tokens partial", "25000000" + "01000000", ErrLength},
		{"idle timeout low", "30000000" + "1d00", ErrInvalidPayload},
		{"idle timeout high", "30000000" + "5902", ErrInvalidPayload},
		{"idle timeout size", "30000000" + "2c0100", ErrLength},
		{"queue-send-complete with data", "d0000000" + "00", ErrLength},
		{"cookie indication with data", "d2000000" + "00", ErrLength},
		{"cookie clear with data", "d3000000" + "00", ErrLength},
		{"close-error empty", "e0000000", ErrLength},
		{"close-error flag 2", "e0000000" + "02", ErrInvalidPayload},
		{"close-error not UTF-8", "e0000000" + "00" + "ff", ErrInvalidPayload},
		{"alert not UTF-8", "e1000000" + "c3", ErrInvalidPayload},
		{"message too short", "01000000" + strings.Repeat("00", 10), ErrLength},
	}
	for _, tt := range tests {
		if _, err := DecodePayload(unhex(t, tt.hex)); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := DecodePayload(make([]byte, MaxContainerLen+1)); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("oversized container: %v", err)
	}
}

func TestAppendContainerRefusesOversizedAndInvalid(t *testing.T) {
	t.Parallel()
	if _, err := AppendContainer(nil, EchoRequest{Data: make([]byte, MaxPayloadLen+1)}); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("oversized echo: %v", err)
	}
	if c, err := AppendContainer(nil, EchoRequest{Data: make([]byte, MaxPayloadLen)}); err != nil || len(c) != MaxContainerLen {
		t.Fatalf("largest echo: %d, %v", len(c), err)
	}
	for _, p := range []Payload{
		SetConnectionIdleTimeout{Seconds: 29},
		ServerAck{},
		CloseError{Message: "\xff"},
		Alert{Message: "\xff"},
		SetPushToken{PushToken{TokenType: 0x42}},
		SetPushToken{PushToken{TokenType: PushTokenFCM, Token: make([]byte, 256)}},
	} {
		dst := []byte("keep")
		out, err := AppendContainer(dst, p)
		if err == nil {
			t.Errorf("%#v encoded", p)
		}
		if !bytes.Equal(out, []byte("keep")) {
			t.Errorf("%#v: dst changed to %q", p, out)
		}
	}
}

func TestCloseErrorIsAnError(t *testing.T) {
	t.Parallel()
	var err error = CloseError{Message: TakeoverMessage}
	var ce CloseError
	if !errors.As(err, &ce) || ce.Message != TakeoverMessage || !strings.Contains(err.Error(), "Another connection") {
		t.Fatalf("%v", err)
	}
}
