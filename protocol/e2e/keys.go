package e2e

import (
	"fmt"
	"io"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// BLAKE2b labels of the metadata key (§3.4): salt "mm", personal "3ma-csp".
const (
	metadataKeySalt     = "mm"
	metadataKeyPersonal = "3ma-csp"
)

// PeerKeys holds the keys for messages between the local identity (Self)
// and one peer, in both directions, one key per purpose:
//
//	box key  K   = X25519HSalsa20(self CK.sec, peer CK.pub)    (= cryptobox.Precompute)
//	metadata MMK = BLAKE2b-256(key = K, salt "mm", personal "3ma-csp")
//
// Both are symmetric in the two identities (the shared key is the same
// whichever side computes it), which is why a reflected message decrypts
// and only a nonce store catches it (see the package documentation).
// Derive it once per peer with NewPeerKeys and cache it; sealing and opening
// then cost no X25519 at all.
// The keys are unexported and print as redacted.
type PeerKeys struct {
	// Self is the local identity.
	Self csp.ID
	// Peer is the other identity.
	Peer csp.ID
	box  cryptobox.SharedKey
	mmk  cryptobox.SymmetricKey
}

// NewPeerKeys derives the keys between self (with secret key own) and peer
// (with public key peerKey). It refuses invalid or equal identities and a
// peer key of low order (an all-zero X25519 result), which would give a
// shared key that anyone can compute.
func NewPeerKeys(self csp.ID, own cryptobox.SecretKey, peer csp.ID, peerKey cryptobox.PublicKey) (PeerKeys, error) {
	if !self.Valid() || !peer.Valid() {
		return PeerKeys{}, fmt.Errorf("e2e: peer keys: %w", csp.ErrInvalidID)
	}
	if self == peer {
		return PeerKeys{}, fmt.Errorf("e2e: peer keys: %w", ErrFromSelf)
	}
	if hasSmallOrder(peerKey) {
		return PeerKeys{}, ErrInvalidKey
	}
	k := PeerKeys{Self: self, Peer: peer, box: cryptobox.Precompute(peerKey, own)}
	mmk, err := cryptobox.Blake2b256(k.box[:], metadataKeySalt, metadataKeyPersonal, nil)
	if err != nil {
		return PeerKeys{}, fmt.Errorf("e2e: metadata key: %w", err)
	}
	k.mmk = mmk
	return k, nil
}

// hasSmallOrder reports whether pub is one of the Curve25519 points of order
// 1, 2, 4 or 8, in any 255-bit encoding (libsodium's has_small_order list):
// their X25519 with any secret is zero. box.Precompute does not check this
// and curve25519.X25519 would cost a second and third scalar
// multiplication; a table lookup is enough.
func hasSmallOrder(pub cryptobox.PublicKey) bool {
	small := [7][32]byte{
		{0x00}, // 0
		{0x01}, // 1
		{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
			0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
		{0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b,
			0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
		{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // p-1
		{0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // p
		{0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // p+1
	}
	pub[31] &= 0x7f // X25519 ignores the top bit
	for _, p := range small {
		if pub == p {
			return true
		}
	}
	return false
}

// String names the two identities and never the keys.
func (k PeerKeys) String() string {
	return fmt.Sprintf("PeerKeys(%v→%v, redacted)", k.Self, k.Peer)
}

// Format prints String whatever the verb. It is needed because fmt cannot
// reach the redacting Format methods of the unexported key fields and would
// print their bytes.
func (k PeerKeys) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }
