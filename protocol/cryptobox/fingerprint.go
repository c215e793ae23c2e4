package cryptobox

import (
	"crypto/sha256"
	"encoding/hex"
)

// Fingerprint is what two people compare to verify a key in person: the
// first 16 bytes of SHA-256 of the public key, as 32 lowercase hex characters.
func (k PublicKey) Fingerprint() string {
	sum := sha256.Sum256(k[:])
	return hex.EncodeToString(sum[:16])
}
