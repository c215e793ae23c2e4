package csp

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustID(t testing.TB, s string) ID {
	t.Helper()
	id, err := ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func mustKeyPair(t testing.TB) cryptobox.KeyPair {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// testEnvelope is a valid envelope with a metadata box.
func testEnvelope(t testing.TB) Envelope {
	t.Helper()
	return Envelope{
		Sender:    mustID(t, "ALICE001"),
		Receiver:  mustID(t, "BOB00002"),
		MessageID: 0x0102030405060708,
		CreatedAt: 1700000000,
		Flags:     FlagPush | FlagNoDeliveryReceipts,
		Nickname:  "Alice",
		Metadata:  bytes.Repeat([]byte{0xaa}, 40),
		Nonce:     cryptobox.Nonce{1, 2, 3},
		Box:       bytes.Repeat([]byte{0xbb}, 48),
	}
}

// handshakePair runs a full handshake between a client and a server and
// returns both sessions.
type pair struct {
	client, server *Session
	ext            Extensions
	login          LoginData
}

func handshake(t testing.TB, ext Extensions) pair {
	t.Helper()
	sk, ck := mustKeyPair(t), mustKeyPair(t)
	id := mustID(t, "ECHOECHO")
	ch, err := NewClientHandshake(rand.Reader, id, ck, sk.Public)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := NewServerHandshake(rand.Reader, sk)
	if err != nil {
		t.Fatal(err)
	}
	hello, err := ch.Hello()
	if err != nil {
		t.Fatal(err)
	}
	shello, err := sh.ReadClientHello(hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.ReadServerHello(shello); err != nil {
		t.Fatal(err)
	}
	login, err := ch.Login(ext)
	if err != nil {
		t.Fatal(err)
	}
	ld, err := sh.ReadLogin(login[:LoginLen])
	if err != nil {
		t.Fatal(err)
	}
	var gotExt Extensions
	if ld.ExtensionsLen > 0 {
		if gotExt, err = sh.ReadExtensions(login[LoginLen:]); err != nil {
			t.Fatal(err)
		}
	} else if len(login) != LoginLen {
		t.Fatalf("login of %d bytes without extensions", len(login))
	}
	if err := sh.VerifyVouch(ck.Public); err != nil {
		t.Fatal(err)
	}
	ack, ss, err := sh.Accept()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ch.ReadLoginAck(ack)
	if err != nil {
		t.Fatal(err)
	}
	return pair{client: cs, server: ss, ext: gotExt, login: ld}
}
