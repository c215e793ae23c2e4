package phonelink

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/qr"
)

// fixedRand is a deterministic randomness source, so that two offers made
// the same way are byte for byte the same.
func fixedRand() *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte{0x5a, 0xa5, 0x17}, 1000)) }

// TestSingleNodeCodeIsUnchanged: for a backend.json without nodes, the
// pairing code is byte for byte the one built before nodes existed: the
// section's url, its key, host and port.
func TestSingleNodeCodeIsUnchanged(t *testing.T) {
	t.Parallel()
	sig := &provisioning.Signaling{URL: "wss://127.0.0.1:8765/", PublicKey: strings.Repeat("42", 32), TLSCertificateSHA256: strings.Repeat("ab", 32)}
	srv, err := ServerFrom(sig)
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := NodesFrom(sig)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 1 || nodes[0] != srv {
		t.Fatalf("nodes %+v, server %+v", nodes, srv)
	}
	viaNodes, err := NewOfferOn(nodes, cryptobox.KeyPair{}, true, fixedRand())
	if err != nil {
		t.Fatal(err)
	}
	viaServer, err := NewOffer(srv, cryptobox.KeyPair{}, true, fixedRand())
	if err != nil {
		t.Fatal(err)
	}
	// What the code was before: the key, then the token, from the same randomness.
	rnd := fixedRand()
	key, _ := cryptobox.GenerateKeyPair(rnd)
	tok, _ := cryptobox.RandomSymmetricKey(rnd)
	skey, _ := cryptobox.ParsePublicKeyHex(sig.PublicKey)
	want, err := qr.Payload{Version: qr.ProtocolVersion, Permanent: true, InitiatorKey: key.Public, AuthToken: tok,
		ServerKey: skey, Host: "127.0.0.1", Port: 8765}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if viaNodes.Code != want || viaServer.Code != want {
		t.Fatalf("codes differ:\n nodes  %s\n server %s\n before %s", viaNodes.Code, viaServer.Code, want)
	}
	if viaNodes.Server != srv || viaNodes.Key != key || viaNodes.Token != tok {
		t.Fatalf("offer %+v", viaNodes)
	}
}

// TestOfferNamesTheNodeTheKeySelects: on a cluster, the code names (and
// Offer.Server is) nodes[K[0] % len(nodes)], with that node's key.
func TestOfferNamesTheNodeTheKeySelects(t *testing.T) {
	t.Parallel()
	own := strings.Repeat("77", 32)
	sig := &provisioning.Signaling{URL: "wss://127.0.0.1:8765/", PublicKey: strings.Repeat("42", 32), Nodes: []provisioning.SignalingNode{
		{URL: "wss://sig-0.example.org:9000/"}, {URL: "ws://sig-1.example.org:9001", PublicKey: own}, {URL: "wss://[::1]:9002/"},
	}}
	nodes, err := NodesFrom(sig)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 3 || nodes[1].Key.String() != own || nodes[0].Key.String() != sig.PublicKey || nodes[2].host != "::1" {
		t.Fatalf("nodes %+v", nodes)
	}
	seen := make(map[string]bool)
	for range 64 {
		kp, err := cryptobox.GenerateKeyPair(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		offer, err := NewOfferOn(nodes, kp, false, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		want := nodes[int(kp.Public[0])%3]
		pl, err := qr.Decode(offer.Code)
		if err != nil {
			t.Fatal(err)
		}
		if offer.Server != want || pl.Host != want.host || pl.Port != want.port || !pl.ServerKey.Equal(want.Key) {
			t.Fatalf("key %02x…: offer at %s (code %s:%d), want %s", kp.Public[0], offer.Server.URL, pl.Host, pl.Port, want.URL)
		}
		seen[want.URL] = true
	}
	if len(seen) != 3 {
		t.Fatalf("64 keys used only %d nodes", len(seen))
	}
	if _, err := NodesFrom(nil); !errors.Is(err, ErrServer) {
		t.Fatalf("no signaling: %v", err)
	}
	if _, err := NewOfferOn(nil, cryptobox.KeyPair{}, false, fixedRand()); !errors.Is(err, ErrServer) {
		t.Fatalf("no nodes: %v", err)
	}
}
