package csp

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// vouchVector is testdata/vouch.json, computed independently by
// testdata/vouch_kat.py (pure-Python X25519 and HSalsa20, hashlib BLAKE2b).
type vouchVector struct {
	CKSecret  string `json:"ck_secret"`
	CKPublic  string `json:"ck_public"`
	SKSecret  string `json:"sk_secret"`
	SKPublic  string `json:"sk_public"`
	TSKSecret string `json:"tsk_secret"`
	TSKPublic string `json:"tsk_public"`
	TCKPublic string `json:"tck_public"`
	SCK       string `json:"sck"`
	SS1       string `json:"ss1"`
	SS2       string `json:"ss2"`
	Vouch     string `json:"vouch"`
}

func TestVouchKnownAnswer(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/vouch.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vouchVector
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	secret := func(s string) cryptobox.SecretKey {
		k, err := cryptobox.ParseSecretKey(unhex(t, s))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	public := func(s string) cryptobox.PublicKey {
		k, err := cryptobox.ParsePublicKeyHex(s)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	var sck Cookie
	copy(sck[:], unhex(t, v.SCK))
	ck, sk, tsk, tck := secret(v.CKSecret), secret(v.SKSecret), secret(v.TSKSecret), public(v.TCKPublic)
	if kp, _ := cryptobox.KeyPairFromSecret(ck); kp.Public != public(v.CKPublic) {
		t.Fatal("CK public key differs from the vector")
	}
	if ss1 := cryptobox.Precompute(public(v.SKPublic), ck); hex.EncodeToString(ss1[:]) != v.SS1 {
		t.Fatal("SS1 differs from the vector")
	}
	got, err := ClientVouch(ck, public(v.SKPublic), public(v.TSKPublic), sck, tck)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(got[:]) != v.Vouch {
		t.Fatalf("client vouch %x, want %s", got, v.Vouch)
	}
	got, err = ServerVouch(sk, tsk, public(v.CKPublic), sck, tck)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(got[:]) != v.Vouch {
		t.Fatalf("server vouch %x, want %s", got, v.Vouch)
	}
}
