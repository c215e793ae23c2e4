package webclient

import (
	"crypto/subtle"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// ConnectionIDSize is the size of a connection id: the 16-byte MAC of a Box
// of an empty plaintext (§2.3).
const ConnectionIDSize = cryptobox.Overhead

// connectionIDNonce is the fixed nonce of §2.3, the ASCII of "connectionidconnectionid".
const connectionIDNonce = "connectionidconnectionid"

// ConnectionID derives the connection id of §2.3 from the peers' shared
// session key: the Box of an empty plaintext under the fixed nonce
// "connectionidconnectionid". Both sides derive the same id.
func ConnectionID(shared *cryptobox.SharedKey) [ConnectionIDSize]byte {
	var n cryptobox.Nonce
	copy(n[:], connectionIDNonce)
	var id [ConnectionIDSize]byte
	copy(id[:], shared.Seal(nil, nil, &n))
	return id
}

// FakeConnectionID returns the 32-byte placeholder 01..08 repeated four times
// that means "connection ids not implemented" (§2.3, WEB fakeConnectionId).
func FakeConnectionID() [32]byte {
	var f [32]byte
	for i := range f {
		f[i] = byte(i%8 + 1)
	}
	return f
}

// IsFakeConnectionID reports whether id is the placeholder of FakeConnectionID.
func IsFakeConnectionID(id []byte) bool {
	f := FakeConnectionID()
	return subtle.ConstantTimeCompare(id, f[:]) == 1
}

// CanResume applies the resume rule of §2.3 to our and the peer's
// connectionInfo: resume only if both request it and both name the same
// previous connection id, a real 16-byte one (not the placeholder). The
// caller sets ours.Resume only when it holds the previous session's id
// and cache.
func CanResume(ours, theirs ConnectionInfo) bool {
	if ours.Resume == nil || theirs.Resume == nil {
		return false
	}
	a, b := ours.Resume.ID, theirs.Resume.ID
	if len(a) != ConnectionIDSize || IsFakeConnectionID(a) {
		return false
	}
	return subtle.ConstantTimeCompare(a, b) == 1
}
