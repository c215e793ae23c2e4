package cryptobox

import (
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"

	"golang.org/x/crypto/curve25519"
)

// KeySize is the size of every NaCl key: public, secret, shared, secretbox.
const KeySize = 32

// NonceSize is the size of every NaCl nonce.
const NonceSize = 24

// Overhead is what Box and Secretbox add to a message (the Poly1305 tag).
const Overhead = 16

// PublicKey is an X25519 public key.
type PublicKey [KeySize]byte

// SecretKey is an X25519 secret key. Its String and Format never reveal it.
type SecretKey [KeySize]byte

// SharedKey is the precomputed Box key of a key pair and a peer's public key.
type SharedKey [KeySize]byte

// SymmetricKey is a Secretbox key.
type SymmetricKey [KeySize]byte

// Nonce is a 24-byte NaCl nonce.
type Nonce [NonceSize]byte

// KeyPair is a secret key with its public key.
type KeyPair struct {
	Public PublicKey
	Secret SecretKey
}

// GenerateKeyPair draws a new key pair from rand (crypto/rand.Reader in production).
func GenerateKeyPair(rand io.Reader) (KeyPair, error) {
	var kp KeyPair
	if _, err := io.ReadFull(rand, kp.Secret[:]); err != nil {
		return KeyPair{}, fmt.Errorf("cryptobox: generate key pair: %w", err)
	}
	pub, err := curve25519.X25519(kp.Secret[:], curve25519.Basepoint)
	if err != nil {
		return KeyPair{}, fmt.Errorf("cryptobox: generate key pair: %w", err)
	}
	copy(kp.Public[:], pub)
	return kp, nil
}

// KeyPairFromSecret rebuilds a key pair from its secret key.
func KeyPairFromSecret(sk SecretKey) (KeyPair, error) {
	pub, err := curve25519.X25519(sk[:], curve25519.Basepoint)
	if err != nil {
		return KeyPair{}, fmt.Errorf("cryptobox: public key: %w", err)
	}
	kp := KeyPair{Secret: sk}
	copy(kp.Public[:], pub)
	return kp, nil
}

// RandomNonce draws a nonce from rand.
func RandomNonce(rand io.Reader) (Nonce, error) {
	var n Nonce
	if _, err := io.ReadFull(rand, n[:]); err != nil {
		return Nonce{}, fmt.Errorf("cryptobox: random nonce: %w", err)
	}
	return n, nil
}

// RandomSymmetricKey draws a secretbox key from rand.
func RandomSymmetricKey(rand io.Reader) (SymmetricKey, error) {
	var k SymmetricKey
	if _, err := io.ReadFull(rand, k[:]); err != nil {
		return SymmetricKey{}, fmt.Errorf("cryptobox: random key: %w", err)
	}
	return k, nil
}

// String is the lowercase hex of the public key.
func (k PublicKey) String() string { return hex.EncodeToString(k[:]) }

// Equal compares two public keys in constant time.
func (k PublicKey) Equal(o PublicKey) bool { return subtle.ConstantTimeCompare(k[:], o[:]) == 1 }

// IsZero reports whether the key is all zero bytes (unset).
func (k PublicKey) IsZero() bool { return k == PublicKey{} }

// ParsePublicKey reads a public key from exactly 32 bytes.
func ParsePublicKey(b []byte) (PublicKey, error) {
	var k PublicKey
	if len(b) != KeySize {
		return k, fmt.Errorf("%w: public key of %d bytes", ErrKeyLength, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// ParsePublicKeyHex reads a public key from 64 hex characters.
func ParsePublicKeyHex(s string) (PublicKey, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return PublicKey{}, fmt.Errorf("cryptobox: public key hex: %w", err)
	}
	return ParsePublicKey(b)
}

// ParseSecretKey reads a secret key from exactly 32 bytes.
func ParseSecretKey(b []byte) (SecretKey, error) {
	var k SecretKey
	if len(b) != KeySize {
		return k, fmt.Errorf("%w: secret key of %d bytes", ErrKeyLength, len(b))
	}
	copy(k[:], b)
	return k, nil
}

// String never reveals the key.
func (SecretKey) String() string { return "SecretKey(redacted)" }

// GoString never reveals the key.
func (SecretKey) GoString() string { return "SecretKey(redacted)" }

// Format never reveals the key, whatever the verb.
func (SecretKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "SecretKey(redacted)") }

// String never reveals the key.
func (SharedKey) String() string { return "SharedKey(redacted)" }

// Format never reveals the key, whatever the verb.
func (SharedKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "SharedKey(redacted)") }

// String never reveals the key.
func (SymmetricKey) String() string { return "SymmetricKey(redacted)" }

// Format never reveals the key, whatever the verb.
func (SymmetricKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "SymmetricKey(redacted)") }
