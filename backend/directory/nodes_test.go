package directory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/internal/pgtest"
	wire "github.com/kurier/kurier/protocol/directory"
)

// TestNodesShareOnePostgres (issue 12): directory nodes on one PostgreSQL
// database, sharing the challenge key and a clock, serve one directory.
// What is written through one node is read through another, a challenge
// issued by one is answered on another (once only), and a client's budgets
// are one for all nodes: spreading its requests over them does not
// multiply what it may learn.
func TestNodesShareOnePostgres(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	ck, clk := newKeyPair(t), newClock()
	node := func(c *directory.Config) { c.Database, c.ChallengeKey, c.Now = url, ck, clk.Now }
	a, b, c := newServer(t, defaultLimits, node), newServer(t, defaultLimits, node), newServer(t, defaultLimits, node)
	ctx := context.Background()

	// Created through A, fetched through B.
	id, kp := a.register(t)
	for name, l := range map[string]wire.Lookup{"in-process": b.Server, "http": b.client} {
		it, err := l.LookupIdentity(ctx, id)
		if err != nil || it.PublicKey != kp.Public || it.State != wire.StateActive {
			t.Fatalf("%s: node B's LookupIdentity(%s) = %+v, %v", name, id, it, err)
		}
	}
	if page, err := b.ListIdentities(ctx, "", 10); err != nil || len(page) != 1 || page[0].ID != id {
		t.Fatalf("node B's ListIdentities = %+v, %v", page, err)
	}

	// Linked through B, matched through A.
	if err := b.client.LinkEmail(ctx, id, kp, "dora@example.net"); err != nil {
		t.Fatal(err)
	}
	m, err := a.client.Match(ctx, wire.HashEmail("dora@example.net"), nil)
	if err != nil || len(m.Matches) != 1 || m.Matches[0].ID != id {
		t.Fatalf("node A's Match = %+v, %v", m, err)
	}

	// Phase 1 on A, phase 2 on B; a token spent on B is spent on A too.
	kp2 := newKeyPair(t)
	ch := a.phase1(t, kp2.Public)
	var fail wire.ErrorResponse
	b.post(t, "identity/create", mustJSON(t, wire.CreateRequest{PublicKey: kp2.Public[:], Token: ch.Token, Response: make([]byte, 32)}), &fail)
	if !errors.Is(wire.ErrorForType(fail.ErrorType), wire.ErrProofRejected) {
		t.Fatalf("a wrong answer on B: %+v, want proofRejected", fail)
	}
	good := wire.CreateRequest{PublicKey: kp2.Public[:], Token: ch.Token, Response: goodResponse(t, kp2, ch)}
	a.post(t, "identity/create", mustJSON(t, good), &fail)
	if !errors.Is(wire.ErrorForType(fail.ErrorType), wire.ErrTokenInvalid) {
		t.Fatalf("the token spent on B, answered on A: %+v, want tokenInvalid", fail)
	}
	ch = a.phase1(t, kp2.Public)
	good = wire.CreateRequest{PublicKey: kp2.Public[:], Token: ch.Token, Response: goodResponse(t, kp2, ch)}
	var created wire.CreateResponse
	if b.post(t, "identity/create", mustJSON(t, good), &created); !created.Success {
		t.Fatalf("phase 2 on B of a challenge from A: %+v", created)
	}
	if it, err := a.LookupIdentity(ctx, created.Identity); err != nil || it.PublicKey != kp2.Public {
		t.Fatalf("node A's LookupIdentity(%s) = %+v, %v", created.Identity, it, err)
	}

	// The lookup budget (200 at once) spent half on A, half on B, is
	// exhausted on both; another address keeps its own.
	probeA, probeB := clientFrom(t, a.URL(), "127.0.0.2"), clientFrom(t, b.URL(), "127.0.0.2")
	for i, p := range []*client.Client{probeA, probeB} {
		if _, err := p.Check(ctx, probeBatch(100, 100*i)); err != nil {
			t.Fatalf("check %d: %v", i, err)
		}
	}
	for name, p := range map[string]*client.Client{"A": probeA, "B": probeB} {
		if _, err := p.LookupIdentity(ctx, id); !refused(t, err) {
			t.Fatalf("node %s after the budget was spent on A and B: %v, want 429", name, err)
		}
	}
	if _, err := clientFrom(t, b.URL(), "127.0.0.3").Check(ctx, probeBatch(100, 0)); err != nil {
		t.Fatalf("another address on B: %v", err)
	}

	// An hour of probing spread over three nodes learns what one node
	// allows, not three times as much.
	probes := []*client.Client{
		clientFrom(t, a.URL(), "127.0.0.4"), clientFrom(t, b.URL(), "127.0.0.4"), clientFrom(t, c.URL(), "127.0.0.4"),
	}
	learnt := probeForAnHour(t, probes, clk.Advance)
	t.Logf("one address learnt about %d identities in an hour through three nodes", learnt)
	checkHourBudget(t, learnt)
	if n := c.Stats().TrackedIPs; n < 4 {
		t.Fatalf("node C tracks %d addresses, want the 4 every node charged", n)
	}
}
