package webclient

import (
	"bytes"
	"crypto/rand"
	"testing"

	"golang.org/x/crypto/nacl/box"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func TestConnectionID(t *testing.T) {
	t.Parallel()
	aPub, aSec, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	bPub, bSec, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// Independently: x/crypto's box.Seal of nothing with the fixed nonce.
	var nonce [24]byte
	copy(nonce[:], "connectionidconnectionid")
	want := box.Seal(nil, nil, &nonce, bPub, aSec)
	if len(want) != 16 {
		t.Fatalf("reference box of %d bytes", len(want))
	}
	ab := cryptobox.Precompute(cryptobox.PublicKey(*bPub), cryptobox.SecretKey(*aSec))
	ba := cryptobox.Precompute(cryptobox.PublicKey(*aPub), cryptobox.SecretKey(*bSec))
	idA, idB := ConnectionID(&ab), ConnectionID(&ba)
	if !bytes.Equal(idA[:], want) {
		t.Fatalf("ConnectionID %x, reference %x", idA, want)
	}
	if idA != idB {
		t.Fatal("the two sides derive different ids")
	}
	cPub, _, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ac := cryptobox.Precompute(cryptobox.PublicKey(*cPub), cryptobox.SecretKey(*aSec))
	if ConnectionID(&ac) == idA {
		t.Fatal("another key pair gives the same id")
	}
}

func TestFakeConnectionID(t *testing.T) {
	t.Parallel()
	f := FakeConnectionID()
	want := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 4)
	if !bytes.Equal(f[:], want) || !IsFakeConnectionID(want) || IsFakeConnectionID(want[:16]) {
		t.Fatalf("fake id %x", f)
	}
}

func TestCanResume(t *testing.T) {
	t.Parallel()
	prev := bytes.Repeat([]byte{7}, 16)
	other := bytes.Repeat([]byte{8}, 16)
	fake := FakeConnectionID()
	with := func(id []byte) ConnectionInfo {
		return ConnectionInfo{ID: other, Resume: &ResumeInfo{ID: id, SequenceNumber: 3}}
	}
	none := ConnectionInfo{ID: other}
	cases := []struct {
		name         string
		ours, theirs ConnectionInfo
		want         bool
	}{
		{"both same id", with(prev), with(prev), true},
		{"ids differ", with(prev), with(other), false},
		{"we do not ask", none, with(prev), false},
		{"they do not ask", with(prev), none, false},
		{"placeholder", with(fake[:]), with(fake[:]), false},
		{"short id", with(prev[:8]), with(prev[:8]), false},
	}
	for _, tc := range cases {
		if got := CanResume(tc.ours, tc.theirs); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}
