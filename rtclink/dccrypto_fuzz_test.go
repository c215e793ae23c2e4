package rtclink

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/chunking"
	"github.com/kurier/kurier/protocol/cryptobox"
)

// FuzzChannelInput feeds arbitrary data channel messages through the
// receive path of a secure channel (unchunker, then nonce checks and
// decryption): nothing may panic, and only boxes sealed by the peer open.
func FuzzChannelInput(f *testing.F) {
	ka, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	kb, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	sender, err := newDCCrypto(1, cryptobox.Precompute(kb.Public, ka.Secret), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	box, _ := sender.seal(nil, []byte("seed"))
	chunks, _ := chunking.Split(chunking.UnreliableUnordered, 0, box, 30)
	for _, c := range chunks {
		f.Add(c)
	}
	f.Add(append([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0}, box...))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	shared := cryptobox.Precompute(ka.Public, kb.Secret)
	t0 := time.Unix(0, 0)
	f.Fuzz(func(t *testing.T, msg []byte) {
		u, _ := chunking.NewUnchunker(chunking.UnreliableUnordered, chunking.Limits{MaxMessageSize: 1 << 16})
		rx, err := newDCCrypto(1, shared, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := u.Add(msg, t0)
		if err != nil || whole == nil {
			return
		}
		plain, err := rx.open(whole)
		if err == nil && string(plain) != "seed" {
			t.Fatalf("a forged box opened: %q", plain)
		}
		if err != nil && plain != nil {
			t.Fatal("plaintext with an error")
		}
	})
}
