package e2e

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// NonceStore is the persistent set of every E2E nonce the local identity
// has used or accepted, incoming and outgoing in one store (§3.4 receiver
// duties, §6 #4). The phone implements it on its database; it must survive
// restarts and reinstalls from backup, or replays become possible again.
type NonceStore interface {
	// HasNonce reports whether nonce is in the store.
	HasNonce(ctx context.Context, nonce cryptobox.Nonce) (bool, error)
	// AddNonce records nonce. For an incoming message it must be committed
	// in the same transaction as the message (or its dedup record), before
	// the CSP ack; for an outgoing one, before the envelope is sent.
	AddNonce(ctx context.Context, nonce cryptobox.Nonce) error
}

// CheckNonce returns ErrReplay if store already holds nonce: a replayed
// message, or one of our own messages reflected back to us. Call it for
// every incoming message before acting on it (before Open saves the
// decryption of a replay). Record the nonce with AddNonce only once Open
// has authenticated the message, so forged junk cannot fill the store.
func CheckNonce(ctx context.Context, store NonceStore, nonce cryptobox.Nonce) error {
	seen, err := store.HasNonce(ctx, nonce)
	if err != nil {
		return fmt.Errorf("e2e: nonce store: %w", err)
	}
	if seen {
		return ErrReplay
	}
	return nil
}
