package phone

import "github.com/kurier/kurier/protocol/cryptobox"

// Fingerprint is what two people compare to verify a key in person: the
// first 16 bytes of SHA-256 of the public key, as 32 lowercase hex characters.
func Fingerprint(pub cryptobox.PublicKey) string { return pub.Fingerprint() }
