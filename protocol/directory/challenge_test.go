package directory

import (
	"encoding/hex"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func seqKey(start byte) cryptobox.SecretKey {
	var k cryptobox.SecretKey
	for i := range k {
		k[i] = start + byte(i)
	}
	return k
}

// TestTokenResponseVector checks the response against a value computed
// independently: the X25519HSalsa20 key from x/crypto/nacl/box, then the two
// BLAKE2b steps with Python's hashlib.blake2b(key=, salt=b"dir", person=b"3ma-csp").
func TestTokenResponseVector(t *testing.T) {
	t.Parallel()
	server, err := cryptobox.KeyPairFromSecret(seqKey(0x80))
	if err != nil {
		t.Fatal(err)
	}
	if got := server.Public.String(); got != "493e82fc74464a59268817623d2053c5eb8e2cc4a988b4fee179ec6b010d531d" {
		t.Fatalf("server public key %s", got)
	}
	token := make([]byte, 32)
	for i := range token {
		token[i] = byte(i)
	}
	got, err := TokenResponse(seqKey(1), server.Public, token)
	if err != nil {
		t.Fatal(err)
	}
	const want = "dd43b5c85e9d9017aaa0567b1e56e303f83767bbb8b4a3eed8ea701120ca6b51"
	if hex.EncodeToString(got[:]) != want {
		t.Fatalf("response %x, want %s", got, want)
	}
}

// TestTokenResponseSymmetric checks that the server, holding the challenge
// secret and the identity's public key, computes the identity's answer.
func TestTokenResponseSymmetric(t *testing.T) {
	t.Parallel()
	server, _ := cryptobox.KeyPairFromSecret(seqKey(0x80))
	client, _ := cryptobox.KeyPairFromSecret(seqKey(1))
	token := []byte("a token of any length")
	a, err := TokenResponse(client.Secret, server.Public, token)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TokenResponse(server.Secret, client.Public, token)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("client %x, server %x", a, b)
	}
}
