package cryptobox

import (
	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"
)

// Precompute derives the shared Box key of own secret key and a peer's public
// key (X25519, then HSalsa20). Cache it per peer.
func Precompute(peer PublicKey, own SecretKey) SharedKey {
	var k SharedKey
	box.Precompute((*[32]byte)(&k), (*[32]byte)(&peer), (*[32]byte)(&own))
	return k
}

// Seal appends the Box of msg under the shared key and nonce to out.
func (k *SharedKey) Seal(out, msg []byte, nonce *Nonce) []byte {
	return box.SealAfterPrecomputation(out, msg, (*[24]byte)(nonce), (*[32]byte)(k))
}

// Open appends the plaintext of a Box to out, or fails with ErrDecrypt.
func (k *SharedKey) Open(out, boxed []byte, nonce *Nonce) ([]byte, error) {
	m, ok := box.OpenAfterPrecomputation(out, boxed, (*[24]byte)(nonce), (*[32]byte)(k))
	if !ok {
		return nil, ErrDecrypt
	}
	return m, nil
}

// Seal appends the Box of msg from own secret key to a peer to out. For
// repeated messages to one peer, Precompute once and use SharedKey.Seal.
func Seal(out, msg []byte, nonce *Nonce, peer PublicKey, own SecretKey) []byte {
	k := Precompute(peer, own)
	return k.Seal(out, msg, nonce)
}

// Open appends the plaintext of a Box from a peer to out, or fails with ErrDecrypt.
func Open(out, boxed []byte, nonce *Nonce, peer PublicKey, own SecretKey) ([]byte, error) {
	k := Precompute(peer, own)
	return k.Open(out, boxed, nonce)
}

// Seal appends the Secretbox of msg to out.
func (k *SymmetricKey) Seal(out, msg []byte, nonce *Nonce) []byte {
	return secretbox.Seal(out, msg, (*[24]byte)(nonce), (*[32]byte)(k))
}

// Open appends the plaintext of a Secretbox to out, or fails with ErrDecrypt.
func (k *SymmetricKey) Open(out, boxed []byte, nonce *Nonce) ([]byte, error) {
	m, ok := secretbox.Open(out, boxed, (*[24]byte)(nonce), (*[32]byte)(k))
	if !ok {
		return nil, ErrDecrypt
	}
	return m, nil
}
