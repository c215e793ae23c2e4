package csp

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func TestHandshakeSizesAndSession(t *testing.T) {
	t.Parallel()
	ext := Extensions{ClientInfo: "1.0;Q;de/CH;kurier", HasDeviceID: true, DeviceID: 42,
		HasPayloadVersion: true, PayloadVersion: PayloadVersionMetadata}
	p := handshake(t, ext)
	if p.ext != ext {
		t.Fatalf("extensions %+v, want %+v", p.ext, ext)
	}
	// Frames continue the counters: client CSN 3 (1 login, 2 extensions), server SSN 3.
	if p.client.send.Last() != 2 || p.server.recv.Last() != 2 || p.server.send.Last() != 2 || p.client.recv.Last() != 2 {
		t.Fatalf("counters after handshake: c.send %d s.recv %d s.send %d c.recv %d",
			p.client.send.Last(), p.server.recv.Last(), p.server.send.Last(), p.client.recv.Last())
	}
	for i := range 3 {
		frame, err := p.client.SealPayload(nil, nil, EchoRequest{Data: []byte{byte(i)}})
		if err != nil {
			t.Fatal(err)
		}
		box, err := ReadFrame(bytes.NewReader(frame), nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := p.server.OpenFrame(nil, box)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := DecodePayload(c)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := pl.(EchoRequest); !ok || !bytes.Equal(e.Data, []byte{byte(i)}) {
			t.Fatalf("frame %d: %#v", i, pl)
		}
	}
	// Server to client.
	frame, err := p.server.SealPayload(nil, nil, QueueSendComplete{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.client.OpenFrame(nil, frame[FrameHeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeQueueSendComplete(c[ContainerHeaderLen:]); err != nil || c[0] != byte(TypeQueueSendComplete) {
		t.Fatalf("queue-send-complete: %x %v", c, err)
	}
	// A replayed frame is refused: the receive counter has moved on.
	if _, err := p.client.OpenFrame(nil, frame[FrameHeaderLen:]); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("replayed frame: %v", err)
	}
}

func TestHandshakeWithoutExtensions(t *testing.T) {
	t.Parallel()
	p := handshake(t, Extensions{})
	if p.login.ExtensionsLen != 0 || p.client.send.Last() != 1 {
		t.Fatalf("ext len %d, client counter %d", p.login.ExtensionsLen, p.client.send.Last())
	}
}

// serverUpToLogin runs the handshake until the server has read the login.
func serverUpToLogin(t *testing.T, mutate func(plain []byte)) (*ClientHandshake, *ServerHandshake, cryptobox.KeyPair, []byte) {
	t.Helper()
	sk, ck := mustKeyPair(t), mustKeyPair(t)
	ch, _ := NewClientHandshake(rand.Reader, mustID(t, "ECHOECHO"), ck, sk.Public)
	sh, _ := NewServerHandshake(rand.Reader, sk)
	hello, _ := ch.Hello()
	shello, err := sh.ReadClientHello(hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.ReadServerHello(shello); err != nil {
		t.Fatal(err)
	}
	login, err := ch.Login(Extensions{})
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		// Re-seal modified login data with the session key and CCK‖1.
		nonce := TransportNonce(ch.cck, 1)
		plain, err := ch.key.Open(nil, login, &nonce)
		if err != nil {
			t.Fatal(err)
		}
		mutate(plain)
		login = ch.key.Seal(nil, plain, &nonce)
	}
	return ch, sh, ck, login
}

func TestServerRefusesLegacyVouchWithCloseError(t *testing.T) {
	t.Parallel()
	ch, sh, _, login := serverUpToLogin(t, func(plain []byte) {
		// The legacy format: a random vouch-nonce at 56..79 and a 48-byte box at 80..127.
		for i := 56; i < 128; i++ {
			plain[i] = byte(i)
		}
	})
	ld, err := sh.ReadLogin(login)
	if !errors.Is(err, ErrLegacyVouch) {
		t.Fatalf("legacy login: %v", err)
	}
	if ld.Identity.String() != "ECHOECHO" {
		t.Fatalf("identity of the refused login: %v", ld.Identity)
	}
	if _, _, err := sh.Accept(); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("Accept after a legacy login: %v", err)
	}
	out, err := sh.Refuse(CloseError{Message: "legacy login refused"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ch.ReadLoginAck(out[:LoginAckLen])
	if err != nil {
		t.Fatal(err)
	}
	box, err := ReadFrame(bytes.NewReader(out[LoginAckLen:]), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.OpenFrame(nil, box)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := DecodePayload(c)
	if err != nil {
		t.Fatal(err)
	}
	if ce, ok := pl.(CloseError); !ok || ce.CanReconnect || ce.Message != "legacy login refused" {
		t.Fatalf("refusal payload %#v", pl)
	}
}

func TestServerRefusesWrongVouch(t *testing.T) {
	t.Parallel()
	_, sh, _, login := serverUpToLogin(t, nil)
	if _, err := sh.ReadLogin(login); err != nil {
		t.Fatal(err)
	}
	other := mustKeyPair(t)
	if err := sh.VerifyVouch(other.Public); !errors.Is(err, ErrVouch) {
		t.Fatalf("vouch against another key: %v", err)
	}
	if _, _, err := sh.Accept(); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("Accept after a bad vouch: %v", err)
	}
	if _, err := sh.Refuse(CloseError{}); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("Refuse after a bad vouch: %v", err)
	}
}

func TestServerRefusesTamperedVouchAndCookie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func([]byte)
		read   error
		verify error
	}{
		{"vouch bit flipped", func(p []byte) { p[90] ^= 1 }, nil, ErrVouch},
		{"server cookie not echoed", func(p []byte) { p[40] ^= 1 }, ErrCookieMismatch, nil},
		{"reserved tail", func(p []byte) { p[127] = 1 }, ErrReserved, nil},
		{"lower-case identity", func(p []byte) { p[0] = 'e' }, ErrInvalidID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, sh, ck, login := serverUpToLogin(t, tt.mutate)
			_, err := sh.ReadLogin(login)
			if tt.read != nil {
				if !errors.Is(err, tt.read) {
					t.Fatalf("ReadLogin: %v, want %v", err, tt.read)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := sh.VerifyVouch(ck.Public); !errors.Is(err, tt.verify) {
				t.Fatalf("VerifyVouch: %v, want %v", err, tt.verify)
			}
		})
	}
}

func TestServerRefusesGarbledLoginBox(t *testing.T) {
	t.Parallel()
	_, sh, _, login := serverUpToLogin(t, nil)
	login[5] ^= 0x80
	if _, err := sh.ReadLogin(login); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("garbled login: %v", err)
	}
	if _, err := sh.Refuse(CloseError{}); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("Refuse before the login opened: %v", err)
	}
}

func TestClientChecksServerHello(t *testing.T) {
	t.Parallel()
	sk, ck := mustKeyPair(t), mustKeyPair(t)
	newPair := func() (*ClientHandshake, []byte) {
		ch, _ := NewClientHandshake(rand.Reader, mustID(t, "ECHOECHO"), ck, sk.Public)
		hello, _ := ch.Hello()
		return ch, hello
	}

	// A server-hello boxed with another long-term key (a MITM) fails.
	ch, hello := newPair()
	mitm, _ := NewServerHandshake(rand.Reader, mustKeyPair(t))
	sh, err := mitm.ReadClientHello(hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.ReadServerHello(sh); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("hello from a wrong server key: %v", err)
	}

	// A server-hello echoing another CCK fails.
	ch, hello = newPair()
	h, _ := ParseClientHello(hello)
	bad := SealServerHello(ServerHello{SCK: Cookie{1}, TSK: mustKeyPair(t).Public, CCK: Cookie{9}}, sk.Secret, h.TCK)
	if err := ch.ReadServerHello(bad); !errors.Is(err, ErrCookieMismatch) {
		t.Fatalf("wrong CCK echo: %v", err)
	}

	// SCK equal to CCK fails.
	ch, hello = newPair()
	h, _ = ParseClientHello(hello)
	bad = SealServerHello(ServerHello{SCK: h.CCK, TSK: mustKeyPair(t).Public, CCK: h.CCK}, sk.Secret, h.TCK)
	if err := ch.ReadServerHello(bad); !errors.Is(err, ErrSameCookies) {
		t.Fatalf("SCK == CCK: %v", err)
	}

	// Wrong sizes.
	ch, _ = newPair()
	if err := ch.ReadServerHello(make([]byte, ServerHelloLen-1)); !errors.Is(err, ErrLength) {
		t.Fatalf("short server-hello: %v", err)
	}
}

func TestServerChecksClientHello(t *testing.T) {
	t.Parallel()
	sh, _ := NewServerHandshake(rand.Reader, mustKeyPair(t))
	if _, err := sh.ReadClientHello(make([]byte, ClientHelloLen+1)); !errors.Is(err, ErrLength) {
		t.Fatalf("long client-hello: %v", err)
	}
	h := ClientHello{TCK: mustKeyPair(t).Public, CCK: sh.sck}
	if _, err := sh.ReadClientHello(h.AppendTo(nil)); !errors.Is(err, ErrSameCookies) {
		t.Fatalf("CCK == SCK: %v", err)
	}
}

func TestHandshakeStepsOutOfOrder(t *testing.T) {
	t.Parallel()
	sk, ck := mustKeyPair(t), mustKeyPair(t)
	ch, _ := NewClientHandshake(rand.Reader, mustID(t, "ECHOECHO"), ck, sk.Public)
	if _, err := ch.Login(Extensions{}); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("Login first: %v", err)
	}
	if _, err := ch.ReadLoginAck(make([]byte, LoginAckLen)); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("ReadLoginAck first: %v", err)
	}
	sh, _ := NewServerHandshake(rand.Reader, sk)
	if _, err := sh.ReadLogin(make([]byte, LoginLen)); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("ReadLogin first: %v", err)
	}
	if err := sh.VerifyVouch(ck.Public); !errors.Is(err, ErrHandshakeState) {
		t.Fatalf("VerifyVouch first: %v", err)
	}
	if _, err := NewClientHandshake(rand.Reader, ID{}, ck, sk.Public); !errors.Is(err, ErrInvalidID) {
		t.Fatalf("invalid identity: %v", err)
	}
}

func TestLoginAckMustBeZero(t *testing.T) {
	t.Parallel()
	sk, ck := mustKeyPair(t), mustKeyPair(t)
	ch, _ := NewClientHandshake(rand.Reader, mustID(t, "ECHOECHO"), ck, sk.Public)
	srv, _ := NewServerHandshake(rand.Reader, sk)
	hello, _ := ch.Hello()
	shello, _ := srv.ReadClientHello(hello)
	if err := ch.ReadServerHello(shello); err != nil {
		t.Fatal(err)
	}
	if _, err := ch.Login(Extensions{}); err != nil {
		t.Fatal(err)
	}
	nonce := TransportNonce(srv.sck, 2)
	ack := srv.key.Seal(nil, bytes.Repeat([]byte{1}, 16), &nonce)
	if _, err := ch.ReadLoginAck(ack); !errors.Is(err, ErrReserved) {
		t.Fatalf("non-zero login-ack: %v", err)
	}
}
