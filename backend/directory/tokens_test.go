package directory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

// forEachTokens runs test on new challenge tokens of every implementation,
// with a TTL of a minute and room for two.
func forEachTokens(t *testing.T, test func(t *testing.T, ts challengeTokens)) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		test(t, memoryTokens{newTokenStore(&countingReader{}, time.Minute, 2)})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		st := openTestPostgres(t, pgtest.URL(t))
		test(t, newPostgresTokens(st.pool, &countingReader{}, time.Minute, 2))
	})
}

// TestTokensContract is TestTokenStore on every implementation.
func TestTokensContract(t *testing.T) {
	t.Parallel()
	forEachTokens(t, func(t *testing.T, ts challengeTokens) {
		ctx := context.Background()
		now := time.Unix(1_700_000_000, 0)
		a := tokenBinding{call: "create", key: cryptobox.PublicKey{1}}
		b := tokenBinding{call: "create", key: cryptobox.PublicKey{2}}
		auth := tokenBinding{call: callRevoke, identity: "AAAAAAAA", key: cryptobox.PublicKey{1}}
		issue := func(at time.Time, b tokenBinding) []byte {
			t.Helper()
			tok, err := ts.issue(ctx, at, b)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}

		tok := issue(now, a)
		if err := ts.redeem(ctx, now, tok, b); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("redeem for another key = %v", err)
		}
		if err := ts.redeem(ctx, now, tok, a); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("redeem after a failed redeem = %v, want consumed", err)
		}
		tok = issue(now, auth)
		if err := ts.redeem(ctx, now, tok, tokenBinding{call: callRevoke, identity: "BBBBBBBB", key: auth.key}); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("redeem for another identity = %v", err)
		}
		tok = issue(now, auth)
		if err := ts.redeem(ctx, now, tok, tokenBinding{call: callSetFeatureMask, identity: auth.identity, key: auth.key}); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("redeem for another call = %v", err)
		}

		tok = issue(now, a)
		if err := ts.redeem(ctx, now.Add(time.Minute-time.Millisecond), tok, a); err != nil {
			t.Fatalf("redeem = %v", err)
		}
		if err := ts.redeem(ctx, now, tok, a); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("replay = %v", err)
		}
		tok = issue(now, a)
		if err := ts.redeem(ctx, now.Add(time.Minute), tok, a); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("expired = %v", err)
		}
		if err := ts.redeem(ctx, now, []byte("short"), a); !errors.Is(err, wire.ErrTokenInvalid) {
			t.Fatalf("short token = %v", err)
		}

		issue(now, a)
		issue(now, a)
		if _, err := ts.issue(ctx, now, a); !errors.Is(err, wire.ErrBusy) {
			t.Fatalf("issue above the bound = %v, want ErrBusy", err)
		}
		issue(now.Add(time.Minute), a)
		if err := ts.sweep(ctx, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if n, err := ts.pending(ctx); err != nil || n != 1 {
			t.Fatalf("pending = %d, %v; want 1", n, err)
		}
	})
}
