package directory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
)

// TestEnumerationBudget (issue 14, item 4): with the default budgets, one
// client address that probes identities as fast as it can — single
// lookups, then bulk checks of the largest batch the server takes — learns
// at most 1,000 identities in an hour; every refusal is a 429 with
// Retry-After, and another address keeps its own budget.
func TestEnumerationBudget(t *testing.T) {
	t.Parallel()
	ts := newServer(t, func(c *directory.Config) {
		c.LookupLimit, c.MatchHashLimit, c.GeneralLimit = directory.RateLimit{}, directory.RateLimit{}, directory.RateLimit{} // the defaults
	})
	ctx := context.Background()
	probe := clientFrom(t, ts.URL(), "127.0.0.2")
	batch := func(n, from int) []string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("P%07d", from+i)
		}
		return ids
	}
	learnt, next := 0, 0
	refused := func(err error) bool {
		var rl *client.RateLimitError
		if !errors.As(err, &rl) {
			return false
		}
		if rl.RetryAfter <= 0 {
			t.Fatalf("a 429 without Retry-After: %v", err)
		}
		return true
	}
	// A whole batch at once is more than the bucket ever holds.
	if _, err := probe.Check(ctx, batch(directory.DefaultMaxBatch, 0)); !refused(err) {
		t.Fatalf("a check of %d identities: %v, want 429", directory.DefaultMaxBatch, err)
	}
	for minute := range 60 {
		for range 50 { // as fast as it is answered
			if _, err := probe.LookupIdentity(ctx, fmt.Sprintf("L%07d", next)); err == nil || errors.Is(err, directory.ErrNotFound) {
				learnt++
				next++
			} else if refused(err) {
				break
			} else {
				t.Fatal(err)
			}
		}
		for range 10 {
			if _, err := probe.Check(ctx, batch(100, next)); err == nil {
				learnt += 100
				next += 100
			} else if refused(err) {
				break
			} else {
				t.Fatal(err)
			}
		}
		_ = minute
		ts.clock.Advance(time.Minute)
	}
	t.Logf("one address learnt about %d identities in an hour", learnt)
	if learnt > 1000 {
		t.Fatalf("one address learnt about %d identities in an hour, budget 1,000", learnt)
	}
	if learnt < 900 {
		t.Fatalf("only %d identities in an hour: the budget is meant to allow about 1,000", learnt)
	}
	// Another address is not affected.
	if _, err := clientFrom(t, ts.URL(), "127.0.0.3").Check(ctx, batch(100, 0)); err != nil {
		t.Fatalf("another address: %v", err)
	}
}
