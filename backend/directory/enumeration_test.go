package directory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	wire "github.com/kurier/kurier/protocol/directory"
)

// TestEnumerationBudget (issue 14, item 4): with the default budgets, one
// client address that probes identities as fast as it can — single
// lookups, then bulk checks of the largest batch the server takes — learns
// at most 1,000 identities in an hour; every refusal is a 429 with
// Retry-After, and another address keeps its own budget.
func TestEnumerationBudget(t *testing.T) {
	t.Parallel()
	forEachStore(t, testEnumerationBudget)
}

func testEnumerationBudget(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, defaultLimits)
	ctx := context.Background()
	probe := clientFrom(t, ts.URL(), "127.0.0.2")
	// A whole batch at once is more than the bucket ever holds.
	if _, err := probe.Check(ctx, probeBatch(directory.DefaultMaxBatch, 0)); !refused(t, err) {
		t.Fatalf("a check of %d identities: %v, want 429", directory.DefaultMaxBatch, err)
	}
	learnt := probeForAnHour(t, []*client.Client{probe}, ts.clock.Advance)
	t.Logf("one address learnt about %d identities in an hour", learnt)
	checkHourBudget(t, learnt)
	// Another address is not affected.
	if _, err := clientFrom(t, ts.URL(), "127.0.0.3").Check(ctx, probeBatch(100, 0)); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// defaultLimits gives a test server the default budgets.
func defaultLimits(c *directory.Config) {
	c.LookupLimit, c.MatchHashLimit, c.GeneralLimit = directory.RateLimit{}, directory.RateLimit{}, directory.RateLimit{}
}

// probeBatch is n made-up identities, numbered from from.
func probeBatch(n, from int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("P%07d", from+i)
	}
	return ids
}

// refused reports whether err is a 429, which must carry Retry-After.
func refused(t *testing.T, err error) bool {
	t.Helper()
	var rl *client.RateLimitError
	if !errors.As(err, &rl) {
		return false
	}
	if rl.RetryAfter <= 0 {
		t.Fatalf("a 429 without Retry-After: %v", err)
	}
	return true
}

// probeForAnHour probes identities as fast as they are answered for an
// hour of the servers' clock (advance moves it): each minute single
// lookups until refused, then checks of 100 until refused, each request
// sent through the next of probes in turn. It returns how many identities
// the answers covered.
func probeForAnHour(t *testing.T, probes []*client.Client, advance func(time.Duration)) int {
	t.Helper()
	ctx := context.Background()
	learnt, next, sent := 0, 0, 0
	probe := func() *client.Client {
		sent++
		return probes[sent%len(probes)]
	}
	for range 60 {
		for range 50 { // as fast as it is answered
			if _, err := probe().LookupIdentity(ctx, fmt.Sprintf("L%07d", next)); err == nil || errors.Is(err, wire.ErrNotFound) {
				learnt++
				next++
			} else if refused(t, err) {
				break
			} else {
				t.Fatal(err)
			}
		}
		for range 10 {
			if _, err := probe().Check(ctx, probeBatch(100, next)); err == nil {
				learnt += 100
				next += 100
			} else if refused(t, err) {
				break
			} else {
				t.Fatal(err)
			}
		}
		advance(time.Minute)
	}
	return learnt
}

// checkHourBudget checks that an hour of probing learnt about the default
// lookup budget's 1,000 identities, no more.
func checkHourBudget(t *testing.T, learnt int) {
	t.Helper()
	if learnt > 1000 {
		t.Fatalf("one address learnt about %d identities in an hour, budget 1,000", learnt)
	}
	if learnt < 900 {
		t.Fatalf("only %d identities in an hour: the budget is meant to allow about 1,000", learnt)
	}
}
