package directory

import (
	"context"
	"time"
)

// challengeTokens keeps the outstanding challenge tokens: in memory for one
// node (tokenStore), in PostgreSQL for every node on the database, so that
// phase 2 of a create or an authenticated call may reach another node than
// phase 1 did (the nodes share one ChallengeKey). A token is single-use:
// redeem consumes it whether it matches or not.
type challengeTokens interface {
	// issue draws a new token bound to b, valid until now + TokenTTL, or
	// fails with ErrBusy when MaxTokens are outstanding.
	issue(ctx context.Context, now time.Time, b tokenBinding) ([]byte, error)
	// redeem consumes token, which must have been issued for b and not
	// expired, else ErrTokenInvalid.
	redeem(ctx context.Context, now time.Time, token []byte, b tokenBinding) error
	// sweep forgets the expired tokens.
	sweep(ctx context.Context, now time.Time) error
	// pending reports the number of outstanding tokens.
	pending(ctx context.Context) (int, error)
}

// memoryTokens is the tokenStore of a single node as challengeTokens; it
// sweeps itself when full.
type memoryTokens struct{ t *tokenStore }

func (m memoryTokens) issue(_ context.Context, now time.Time, b tokenBinding) ([]byte, error) {
	return m.t.issue(now, b)
}

func (m memoryTokens) redeem(_ context.Context, now time.Time, token []byte, b tokenBinding) error {
	return m.t.redeem(now, token, b)
}

func (m memoryTokens) sweep(context.Context, time.Time) error { return nil }

func (m memoryTokens) pending(context.Context) (int, error) { return m.t.pending(), nil }
