package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

func mustID(t testing.TB, s string) csp.ID {
	t.Helper()
	id, err := csp.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// party is one identity with its key pair.
type party struct {
	id csp.ID
	kp cryptobox.KeyPair
}

func newParty(t testing.TB, id string) party {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return party{id: mustID(t, id), kp: kp}
}

func peerKeys(t testing.TB, self, peer party) PeerKeys {
	t.Helper()
	k, err := NewPeerKeys(self.id, self.kp.Secret, peer.id, peer.kp.Public)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// zeroReader yields zero bytes: deterministic "randomness" for tests.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// fixedReader yields its bytes, then zeros.
func fixedReader(b ...byte) *bytes.Reader { return bytes.NewReader(b) }

func fixedTime() time.Time { return time.UnixMilli(1_700_000_000_123).UTC() }
