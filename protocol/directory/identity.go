package directory

import (
	"context"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// IDLength is the length of an identity.
const IDLength = 8

// ValidID reports whether id is a well-formed identity: 8 characters, the
// first of A–Z, 0–9 or "*" (Gateway IDs), the rest A–Z or 0–9 (§3.6).
func ValidID(id string) bool {
	if len(id) != IDLength {
		return false
	}
	for i := 0; i < IDLength; i++ {
		c := id[i]
		if (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (i == 0 && c == '*') {
			continue
		}
		return false
	}
	return true
}

// IdentityState is the state of an identity as the directory publishes it;
// the values are the wire values of shared/protocols.md §4.
type IdentityState int

// Identity states (§4 `state`).
const (
	// StateActive is a usable identity.
	StateActive IdentityState = 0
	// StateInactive is an identity that has not been seen for a long time.
	StateInactive IdentityState = 1
	// StateInvalid is a revoked (or never valid) identity.
	StateInvalid IdentityState = 2
)

// String names the state for logs.
func (s IdentityState) String() string {
	switch s {
	case StateActive:
		return "active"
	case StateInactive:
		return "inactive"
	case StateInvalid:
		return "invalid"
	default:
		return "unknown"
	}
}

// Identity types (§4 `type`).
const (
	// TypeRegular is a consumer identity.
	TypeRegular = 0
	// TypeWork is a Threema Work identity.
	TypeWork = 1
)

// Identity is a registered Kurier identity as the directory publishes it.
type Identity struct {
	ID          string              // 8 chars, ^[A-Z0-9]{8}$
	PublicKey   cryptobox.PublicKey // the identity's long-term X25519 key (CK.pub)
	FeatureMask uint64              // feature bits of §3.6
	State       IdentityState       // StateActive, StateInactive or StateInvalid (revoked)
	Type        int                 // TypeRegular or TypeWork
}

// Lookup resolves an identity; the chat server takes one. It is implemented
// by the directory server itself (backend/directory, in-process) and by its
// HTTP client (backend/directory/client). An unknown identity is ErrNotFound.
type Lookup interface {
	LookupIdentity(ctx context.Context, id string) (Identity, error)
}
