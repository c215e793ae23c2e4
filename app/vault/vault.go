// Package vault protects what the desktop keeps on disk with a password:
// scrypt turns the password into a key-encryption key, which seals a random
// master key with secretbox; the master key never touches the disk in the
// clear. Each purpose (the remembered session, the cache) gets its own key
// derived from the master key with HKDF-SHA-256.
package vault

import (
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

// Record layout, version 1 (fixed sizes, nothing compressed):
//
//	"KVLT" ‖ version (1) ‖ log2 N (1) ‖ r (1) ‖ p (1) ‖ salt (16) ‖ nonce (24)
//	‖ secretbox[scrypt(password, salt, N, r, p); nonce](master key (32))
//
// The header is bound to the box: other costs or another salt give another
// key and the box does not open.
const (
	magic       = "KVLT"
	version     = 1
	saltLen     = 16
	nonceLen    = 24
	keyLen      = 32
	headerLen   = len(magic) + 4 + saltLen + nonceLen
	recordLen   = headerLen + secretbox.Overhead + keyLen
	defaultLogN = 15 // N = 32768, r = 8, p = 1: about 100 ms and 32 MiB
	maxLogN     = 20
	// maxR and maxP bound scrypt's block size and parallelism read from a
	// record (Create writes 8 and 1): with logN 20 they already mean 1 GiB
	// and seconds of work; 255 each would mean hours.
	maxR, maxP = 8, 4
	// MaxPasswordBytes bounds the password fed to scrypt.
	MaxPasswordBytes = 1024
)

// Purposes of derived keys.
const (
	// PurposeSession seals the remembered session (own key, phone's key).
	PurposeSession = "kurier desktop session v1"
	// PurposeCache seals cached message text, files and receivers.
	PurposeCache = "kurier desktop cache v1"
)

var (
	// ErrWrongPassword: the password does not open the vault.
	ErrWrongPassword = errors.New("vault: wrong password")
	// ErrCorrupt: the record is not a vault.
	ErrCorrupt = errors.New("vault: not a vault record")
	// ErrPassword: the password is empty or too long.
	ErrPassword = errors.New("vault: the password must have 1 to 1024 bytes")
)

// Vault is an unlocked master key.
type Vault struct {
	master [keyLen]byte
}

// Create makes a new vault for password and returns it with the record to
// store. logN is the scrypt cost (0 = 15; tests use less).
func Create(rnd io.Reader, password string, logN uint8) (*Vault, []byte, error) {
	if len(password) == 0 || len(password) > MaxPasswordBytes {
		return nil, nil, ErrPassword
	}
	if logN == 0 {
		logN = defaultLogN
	}
	v := &Vault{}
	rec := make([]byte, headerLen, recordLen)
	copy(rec, magic)
	rec[4], rec[5], rec[6], rec[7] = version, logN, 8, 1
	if _, err := io.ReadFull(rnd, rec[8:headerLen]); err != nil {
		return nil, nil, fmt.Errorf("vault: salt and nonce: %w", err)
	}
	if _, err := io.ReadFull(rnd, v.master[:]); err != nil {
		return nil, nil, fmt.Errorf("vault: master key: %w", err)
	}
	kek, err := kekOf(rec, password)
	if err != nil {
		return nil, nil, err
	}
	var nonce [nonceLen]byte
	copy(nonce[:], rec[8+saltLen:headerLen])
	rec = secretbox.Seal(rec, v.master[:], &nonce, &kek)
	clear(kek[:])
	return v, rec, nil
}

// Unlock opens a stored record with password.
func Unlock(rec []byte, password string) (*Vault, error) {
	if len(password) == 0 || len(password) > MaxPasswordBytes {
		return nil, ErrPassword
	}
	if len(rec) != recordLen || string(rec[:4]) != magic || rec[4] != version || rec[5] == 0 || rec[5] > maxLogN || rec[6] == 0 || rec[6] > maxR || rec[7] == 0 || rec[7] > maxP {
		return nil, ErrCorrupt
	}
	kek, err := kekOf(rec, password)
	if err != nil {
		return nil, err
	}
	defer clear(kek[:])
	var nonce [nonceLen]byte
	copy(nonce[:], rec[8+saltLen:headerLen])
	master, ok := secretbox.Open(nil, rec[headerLen:], &nonce, &kek)
	if !ok {
		return nil, ErrWrongPassword
	}
	v := &Vault{}
	copy(v.master[:], master)
	clear(master)
	return v, nil
}

func kekOf(rec []byte, password string) ([keyLen]byte, error) {
	var k [keyLen]byte
	raw, err := scrypt.Key([]byte(password), rec[8:8+saltLen], 1<<rec[5], int(rec[6]), int(rec[7]), keyLen)
	if err != nil {
		return k, fmt.Errorf("vault: scrypt: %w", err)
	}
	copy(k[:], raw)
	clear(raw)
	return k, nil
}

// Key derives the key for one purpose.
func (v *Vault) Key(purpose string) [keyLen]byte {
	var k [keyLen]byte
	raw, err := hkdf.Key(sha256.New, v.master[:], nil, purpose, keyLen)
	if err != nil { // only for lengths beyond 255 hashes
		panic(err)
	}
	copy(k[:], raw)
	return k
}

// Sealer encrypts records with one derived key and a random nonce each.
type Sealer struct {
	key [keyLen]byte
	rnd io.Reader
}

// NewSealer returns a Sealer for the key of purpose.
func (v *Vault) NewSealer(purpose string, rnd io.Reader) *Sealer {
	return &Sealer{key: v.Key(purpose), rnd: rnd}
}

// Seal returns nonce ‖ secretbox(plain).
func (s *Sealer) Seal(plain []byte) ([]byte, error) {
	var nonce [nonceLen]byte
	if _, err := io.ReadFull(s.rnd, nonce[:]); err != nil {
		return nil, fmt.Errorf("vault: nonce: %w", err)
	}
	out := make([]byte, nonceLen, nonceLen+secretbox.Overhead+len(plain))
	copy(out, nonce[:])
	return secretbox.Seal(out, plain, &nonce, &s.key), nil
}

// Open reverses Seal.
func (s *Sealer) Open(sealed []byte) ([]byte, error) {
	if len(sealed) < nonceLen+secretbox.Overhead {
		return nil, ErrCorrupt
	}
	var nonce [nonceLen]byte
	copy(nonce[:], sealed)
	plain, ok := secretbox.Open(nil, sealed[nonceLen:], &nonce, &s.key)
	if !ok {
		return nil, ErrCorrupt
	}
	return plain, nil
}

// CostOf reports the scrypt cost log2 N of a record (0 if it is not one).
func CostOf(rec []byte) uint8 {
	if len(rec) != recordLen || string(rec[:4]) != magic {
		return 0
	}
	return rec[5]
}
