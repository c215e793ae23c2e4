package csp

import (
	"bytes"
	"crypto/rand"
	"reflect"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Every decoder has a fuzz target seeded with valid encodings. A decoder must
// never panic, and whatever it accepts must encode back to the same bytes (or
// to an encoding that decodes to the same value) and decode again unchanged.

func FuzzParseClientHello(f *testing.F) {
	f.Add(ClientHello{TCK: cryptobox.PublicKey{1}, CCK: Cookie{2}}.AppendTo(nil))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseClientHello(b)
		if err != nil {
			return
		}
		if !bytes.Equal(h.AppendTo(nil), b) {
			t.Fatal("client-hello does not round-trip")
		}
	})
}

func FuzzOpenServerHello(f *testing.F) {
	sk, tck := fixedKeyPair(f, 1), fixedKeyPair(f, 2)
	f.Add(SealServerHello(ServerHello{SCK: Cookie{3}, TSK: fixedKeyPair(f, 4).Public, CCK: Cookie{5}}, sk.Secret, tck.Public))
	f.Add(make([]byte, ServerHelloLen))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := OpenServerHello(b, sk.Public, tck.Secret)
		if err != nil {
			return
		}
		back, err := OpenServerHello(SealServerHello(h, sk.Secret, tck.Public), sk.Public, tck.Secret)
		if err != nil || back != h {
			t.Fatalf("server-hello does not round-trip: %v", err)
		}
	})
}

func FuzzServerHandshake(f *testing.F) {
	// The bytes a client sends, fed to a fresh server handshake in the
	// sizes the server reads: client-hello, login, extensions.
	sk := fixedKeyPair(f, 1)
	f.Add(make([]byte, ClientHelloLen+LoginLen+40))
	f.Add(append(ClientHello{TCK: fixedKeyPair(f, 2).Public, CCK: Cookie{1}}.AppendTo(nil), make([]byte, LoginLen)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		sh, err := NewServerHandshake(rand.Reader, sk)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < ClientHelloLen {
			return
		}
		if _, err := sh.ReadClientHello(b[:ClientHelloLen]); err != nil {
			return
		}
		b = b[ClientHelloLen:]
		if len(b) < LoginLen {
			return
		}
		ld, err := sh.ReadLogin(b[:LoginLen])
		if err != nil {
			return
		}
		b = b[LoginLen:]
		if ld.ExtensionsLen > 0 && len(b) >= ld.ExtensionsLen {
			_, _ = sh.ReadExtensions(b[:ld.ExtensionsLen])
		}
		if err := sh.VerifyVouch(sk.Public); err == nil {
			t.Fatal("a random login verified")
		}
	})
}

func FuzzParseLoginData(f *testing.F) {
	id := ID{'E', 'C', 'H', 'O', 'E', 'C', 'H', 'O'}
	for _, d := range []LoginData{
		{Identity: id, ExtensionsLen: 40, SCK: Cookie{1}, Vouch: Vouch{2}},
		{Identity: id, ClientInfo: "1.0;A;de;CH"},
	} {
		b, err := d.AppendTo(nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseLoginData(b)
		if err != nil {
			return
		}
		enc, err := d.AppendTo(nil)
		if err != nil {
			t.Fatalf("accepted login data does not encode: %v", err)
		}
		back, err := ParseLoginData(enc)
		if err != nil || back != d {
			t.Fatalf("login data does not round-trip: %v", err)
		}
	})
}

func FuzzParseExtensions(f *testing.F) {
	b, _ := Extensions{ClientInfo: "1;Q;de/CH", HasDeviceID: true, DeviceID: 7, HasPayloadVersion: true,
		PayloadVersion: 1, HasDeviceCookie: true, DeviceCookie: Cookie{9}}.AppendTo(nil)
	f.Add(b)
	f.Add([]byte{0x7f, 1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := ParseExtensions(b)
		if err != nil {
			return
		}
		enc, err := e.AppendTo(nil)
		if err != nil {
			t.Fatalf("accepted extensions do not encode: %v", err)
		}
		back, err := ParseExtensions(enc)
		if err != nil || back != e {
			t.Fatalf("extensions do not round-trip: %v", err)
		}
	})
}

func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{20, 0}, 20)
	f.Add([]byte{0xff, 0xff}, 0)
	f.Fuzz(func(t *testing.T, hdr []byte, n int) {
		in := append(hdr, make([]byte, n&0x3fff)...)
		box, err := ReadFrame(bytes.NewReader(in), nil)
		if err != nil {
			return
		}
		if len(box) < MinFrameLen || len(box) > MaxFrameLen {
			t.Fatalf("accepted a frame of %d bytes", len(box))
		}
	})
}

func FuzzOpenFrame(f *testing.F) {
	f.Add([]byte{0x01, 0x00, 0x00, 0x00}, []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, container, junk []byte) {
		p := handshake(t, Extensions{})
		frame, err := p.client.SealFrame(nil, container)
		if err != nil {
			return
		}
		got, err := p.server.OpenFrame(nil, frame[FrameHeaderLen:])
		if err != nil || !bytes.Equal(got, container) {
			t.Fatalf("frame does not round-trip: %v", err)
		}
		if _, err := p.server.OpenFrame(nil, junk); err == nil {
			t.Fatal("junk opened")
		}
	})
}

func FuzzDecodePayload(f *testing.F) {
	for _, tt := range validPayloads(f) {
		c, err := AppendContainer(nil, tt.p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePayload(b)
		if err != nil {
			return
		}
		enc, err := AppendContainer(nil, p)
		if err != nil {
			t.Fatalf("accepted %s does not encode: %v", p.PayloadType(), err)
		}
		back, err := DecodePayload(enc)
		if err != nil || !reflect.DeepEqual(normalize(back), normalize(p)) {
			t.Fatalf("%s does not round-trip: %v", p.PayloadType(), err)
		}
	})
}

// normalize maps empty slices to nil so that DeepEqual compares values.
func normalize(p Payload) Payload {
	switch v := p.(type) {
	case EchoRequest:
		if len(v.Data) == 0 {
			v.Data = nil
		}
		return v
	case EchoResponse:
		if len(v.Data) == 0 {
			v.Data = nil
		}
		return v
	case SetPushToken:
		if len(v.Token) == 0 {
			v.Token = nil
		}
		return v
	case SetHighPriorityPushToken:
		if len(v.Token) == 0 {
			v.Token = nil
		}
		return v
	case DeletePushTokens:
		if len(v.DeviceIDs) == 0 {
			v.DeviceIDs = nil
		}
		return v
	}
	return p
}

// fuzzDecoder is the shape of every per-payload fuzz target: decode the
// data, and if accepted, encode and decode again to the same value.
func fuzzDecoder[P Payload](f *testing.F, decode func([]byte) (P, error), seeds ...[]byte) {
	for _, tt := range validPayloads(f) {
		if _, ok := tt.p.(P); ok {
			d, err := tt.p.AppendData(nil)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(d)
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decode(b)
		if err != nil {
			return
		}
		enc, err := p.AppendData(nil)
		if err != nil {
			t.Fatalf("accepted data does not encode: %v", err)
		}
		back, err := decode(enc)
		if err != nil || !reflect.DeepEqual(normalize(back), normalize(p)) {
			t.Fatalf("does not round-trip: %v", err)
		}
	})
}

func FuzzDecodeEchoRequest(f *testing.F)  { fuzzDecoder(f, DecodeEchoRequest) }
func FuzzDecodeEchoResponse(f *testing.F) { fuzzDecoder(f, DecodeEchoResponse) }
func FuzzDecodeOutgoingMessage(f *testing.F) {
	fuzzDecoder(f, DecodeOutgoingMessage)
}
func FuzzDecodeIncomingMessage(f *testing.F) {
	fuzzDecoder(f, DecodeIncomingMessage)
}
func FuzzDecodeServerAck(f *testing.F) { fuzzDecoder(f, DecodeServerAck) }
func FuzzDecodeClientAck(f *testing.F) { fuzzDecoder(f, DecodeClientAck) }
func FuzzDecodeUnblockIncomingMessages(f *testing.F) {
	fuzzDecoder(f, DecodeUnblockIncomingMessages)
}
func FuzzDecodeSetPushToken(f *testing.F) { fuzzDecoder(f, DecodeSetPushToken) }
func FuzzDecodeSetHighPriorityPushToken(f *testing.F) {
	fuzzDecoder(f, DecodeSetHighPriorityPushToken)
}
func FuzzDecodeDeletePushTokens(f *testing.F) { fuzzDecoder(f, DecodeDeletePushTokens) }
func FuzzDecodeSetConnectionIdleTimeout(f *testing.F) {
	fuzzDecoder(f, DecodeSetConnectionIdleTimeout)
}
func FuzzDecodeQueueSendComplete(f *testing.F) { fuzzDecoder(f, DecodeQueueSendComplete) }
func FuzzDecodeDeviceCookieChangeIndication(f *testing.F) {
	fuzzDecoder(f, DecodeDeviceCookieChangeIndication)
}
func FuzzDecodeClearDeviceCookieChangeIndication(f *testing.F) {
	fuzzDecoder(f, DecodeClearDeviceCookieChangeIndication)
}
func FuzzDecodeCloseError(f *testing.F) { fuzzDecoder(f, DecodeCloseError) }
func FuzzDecodeAlert(f *testing.F)      { fuzzDecoder(f, DecodeAlert) }

func FuzzDecodeEnvelope(f *testing.F) {
	e := testEnvelope(f)
	b, err := e.AppendTo(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	e.Metadata, e.Nickname = nil, ""
	b, _ = e.AppendTo(nil)
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEnvelope(b)
		if err != nil {
			return
		}
		enc, err := e.AppendTo(nil)
		if err != nil {
			t.Fatalf("accepted envelope does not encode: %v", err)
		}
		if !bytes.Equal(enc, b) {
			t.Fatalf("envelope does not round-trip byte for byte")
		}
	})
}

// fixedKeyPair is a deterministic key pair for fuzz seeds.
func fixedKeyPair(t testing.TB, seed byte) cryptobox.KeyPair {
	t.Helper()
	kp, err := cryptobox.KeyPairFromSecret(cryptobox.SecretKey{seed, 31: seed})
	if err != nil {
		t.Fatal(err)
	}
	return kp
}
