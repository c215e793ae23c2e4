package cryptobox

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestBoxRoundTripBothWays(t *testing.T) {
	t.Parallel()
	alice, err := GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	bob, _ := GenerateKeyPair(rand.Reader)
	nonce, _ := RandomNonce(rand.Reader)
	msg := []byte("hello bob")
	sealed := Seal(nil, msg, &nonce, bob.Public, alice.Secret)
	if len(sealed) != len(msg)+Overhead {
		t.Fatalf("sealed %d bytes", len(sealed))
	}
	got, err := Open(nil, sealed, &nonce, alice.Public, bob.Secret)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open: %q, %v", got, err)
	}
	shared := Precompute(alice.Public, bob.Secret)
	if got, err = shared.Open(nil, sealed, &nonce); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("shared Open: %q, %v", got, err)
	}
	sealed[3] ^= 1
	if _, err := Open(nil, sealed, &nonce, alice.Public, bob.Secret); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("tampered: %v", err)
	}
	nonce[0] ^= 1
	sealed[3] ^= 1
	if _, err := Open(nil, sealed, &nonce, alice.Public, bob.Secret); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong nonce: %v", err)
	}
}

func TestSecretboxRoundTrip(t *testing.T) {
	t.Parallel()
	k, _ := RandomSymmetricKey(rand.Reader)
	n, _ := RandomNonce(rand.Reader)
	sealed := k.Seal(nil, []byte("token"), &n)
	got, err := k.Open(nil, sealed, &n)
	if err != nil || string(got) != "token" {
		t.Fatalf("%q %v", got, err)
	}
	other, _ := RandomSymmetricKey(rand.Reader)
	if _, err := other.Open(nil, sealed, &n); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestKeyPairFromSecret(t *testing.T) {
	t.Parallel()
	kp, _ := GenerateKeyPair(rand.Reader)
	again, err := KeyPairFromSecret(kp.Secret)
	if err != nil || again != kp {
		t.Fatalf("%v", err)
	}
}

func TestGenerateKeyPairReportsShortRandomness(t *testing.T) {
	t.Parallel()
	if _, err := GenerateKeyPair(strings.NewReader("short")); err == nil {
		t.Fatal("no error from a short random source")
	}
}

func TestSecretsNeverFormatted(t *testing.T) {
	t.Parallel()
	kp, _ := GenerateKeyPair(rand.Reader)
	shared := Precompute(kp.Public, kp.Secret)
	sym, _ := RandomSymmetricKey(rand.Reader)
	for _, s := range []string{
		fmt.Sprint(kp.Secret), fmt.Sprintf("%x", kp.Secret), fmt.Sprintf("%v", kp), fmt.Sprintf("%+v", kp),
		fmt.Sprintf("%#v", kp.Secret), fmt.Sprintf("%x", shared), fmt.Sprintf("%v", sym), fmt.Sprintf("%s", sym),
	} {
		if strings.Contains(strings.ToLower(s), fmt.Sprintf("%x", kp.Secret[:4])) || !strings.Contains(s, "redacted") {
			t.Errorf("secret leaked into %q", s)
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	t.Parallel()
	kp, _ := GenerateKeyPair(rand.Reader)
	got, err := ParsePublicKeyHex(kp.Public.String())
	if err != nil || !got.Equal(kp.Public) {
		t.Fatalf("%v", err)
	}
	for _, bad := range []string{"", "zz", strings.Repeat("a", 62), strings.Repeat("a", 66)} {
		if _, err := ParsePublicKeyHex(bad); err == nil {
			t.Errorf("ParsePublicKeyHex(%q) succeeded", bad)
		}
	}
	if _, err := ParseSecretKey(make([]byte, 31)); !errors.Is(err, ErrKeyLength) {
		t.Errorf("short secret key: %v", err)
	}
}
