package store

import (
	"context"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// HasNonce reports whether nonce was used or accepted before, incoming or
// outgoing (e2e.NonceStore).
func (o Ops) HasNonce(ctx context.Context, nonce cryptobox.Nonce) (bool, error) {
	var n int
	if err := o.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM nonces WHERE nonce = ?`, nonce[:]).Scan(&n); err != nil {
		return false, fmt.Errorf("store: has nonce: %w", err)
	}
	return n > 0, nil
}

// AddNonce records an incoming nonce (e2e.NonceStore). A nonce already
// stored is not an error.
func (o Ops) AddNonce(ctx context.Context, nonce cryptobox.Nonce) error {
	return o.addNonce(ctx, nonce, false)
}

// AddOutgoingNonce records the nonce of a message the phone sends.
func (o Ops) AddOutgoingNonce(ctx context.Context, nonce cryptobox.Nonce) error {
	return o.addNonce(ctx, nonce, true)
}

func (o Ops) addNonce(ctx context.Context, nonce cryptobox.Nonce, outgoing bool) error {
	if _, err := o.q.ExecContext(ctx, `INSERT INTO nonces (nonce, outgoing, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		nonce[:], boolInt(outgoing), millis(time.Now())); err != nil {
		return fmt.Errorf("store: add nonce: %w", err)
	}
	return nil
}

// NonceCount reports how many nonces are stored, incoming and outgoing.
func (o Ops) NonceCount(ctx context.Context) (incoming, outgoing int, err error) {
	err = o.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(outgoing = 0), 0), COALESCE(SUM(outgoing = 1), 0) FROM nonces`).Scan(&incoming, &outgoing)
	if err != nil {
		return 0, 0, fmt.Errorf("store: nonce count: %w", err)
	}
	return incoming, outgoing, nil
}
