package directory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	wire "github.com/kurier/kurier/protocol/directory"
)

func TestFetchBulkAndCheck(t *testing.T) {
	t.Parallel()
	forEachStore(t, testFetchBulkAndCheck)
}

func testFetchBulkAndCheck(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, func(c *directory.Config) { c.CheckInterval = 2 * time.Hour })
	ctx := context.Background()
	a, akp := ts.register(t)
	b, bkp := ts.register(t)
	if err := ts.client.SetFeatureMask(ctx, b, bkp, 0x3ff); err != nil {
		t.Fatal(err)
	}
	ids := []string{a, "ZZZZZZZZ", b, a}

	got, err := ts.client.FetchBulk(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != a || got[0].PublicKey != akp.Public || got[1].ID != b || got[1].FeatureMask != 0x3ff {
		t.Fatalf("FetchBulk = %+v", got)
	}
	if empty, err := ts.client.FetchBulk(ctx, nil); err != nil || len(empty) != 0 {
		t.Fatalf("FetchBulk(nil) = %v, %v", empty, err)
	}

	res, err := ts.client.Check(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := []client.IdentityStatus{
		{ID: a, State: wire.StateActive},
		{ID: "ZZZZZZZZ", State: wire.StateInvalid},
		{ID: b, State: wire.StateActive, FeatureMask: 0x3ff},
		{ID: a, State: wire.StateActive},
	}
	if res.CheckInterval != 2*time.Hour || len(res.Identities) != len(want) {
		t.Fatalf("Check = %+v", res)
	}
	for i := range want {
		if res.Identities[i] != want[i] {
			t.Errorf("Check[%d] = %+v, want %+v", i, res.Identities[i], want[i])
		}
	}
}

func TestFeatureMask(t *testing.T) {
	t.Parallel()
	forEachStore(t, testFeatureMask)
}

func testFeatureMask(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	ctx := context.Background()
	id, kp := ts.register(t)
	other, _ := ts.register(t)
	for _, mask := range []uint64{0x01 | 0x02 | 0x08, 0x3ff, 0, 1 << 63} {
		if err := ts.client.SetFeatureMask(ctx, id, kp, mask); err != nil {
			t.Fatalf("SetFeatureMask(%#x): %v", mask, err)
		}
		got, err := ts.client.CheckFeatureMask(ctx, []string{id, "ZZZZZZZZ"})
		if err != nil {
			t.Fatal(err)
		}
		if !got[0].Known || got[0].Mask != mask || got[1].Known {
			t.Fatalf("CheckFeatureMask after %#x = %+v", mask, got)
		}
		it, err := ts.client.LookupIdentity(ctx, id)
		if err != nil || it.FeatureMask != mask {
			t.Fatalf("LookupIdentity = %+v, %v", it, err)
		}
	}
	// Another identity's key does not authenticate.
	if err := ts.client.SetFeatureMask(ctx, other, kp, 1); !errors.Is(err, wire.ErrProofRejected) {
		t.Fatalf("SetFeatureMask with the wrong key = %v, want ErrProofRejected", err)
	}
	if err := ts.client.SetFeatureMask(ctx, "ZZZZZZZZ", kp, 1); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("SetFeatureMask of an unknown identity = %v, want ErrNotFound", err)
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	forEachStore(t, testRevoke)
}

func testRevoke(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	ctx := context.Background()
	id, kp := ts.register(t)
	if err := ts.client.LinkEmail(ctx, id, kp, "carol@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := ts.client.LinkMobile(ctx, id, kp, "+41 79 555 00 11"); err != nil {
		t.Fatal(err)
	}
	if err := ts.client.Revoke(ctx, id, kp); err != nil {
		t.Fatal(err)
	}

	for name, l := range map[string]wire.Lookup{"in-process": ts.Server, "http": ts.client} {
		it, err := l.LookupIdentity(ctx, id)
		if err != nil || it.State != wire.StateInvalid {
			t.Fatalf("%s: LookupIdentity after revoke = %+v, %v; want state 2", name, it, err)
		}
	}
	res, err := ts.client.Check(ctx, []string{id})
	if err != nil || res.Identities[0].State != wire.StateInvalid {
		t.Fatalf("Check after revoke = %+v, %v", res, err)
	}
	fm, err := ts.client.CheckFeatureMask(ctx, []string{id})
	if err != nil || fm[0].Known {
		t.Fatalf("CheckFeatureMask after revoke = %+v, %v", fm, err)
	}
	m, err := ts.client.Match(ctx, wire.HashEmail("carol@example.org"), [][]byte{wire.HashPhone("41795550011")})
	if err != nil || len(m.Matches) != 0 {
		t.Fatalf("Match after revoke = %+v, %v; want nothing", m, err)
	}
	if err := ts.client.SetFeatureMask(ctx, id, kp, 1); !errors.Is(err, wire.ErrRevoked) {
		t.Fatalf("SetFeatureMask after revoke = %v, want ErrRevoked", err)
	}
	if err := ts.client.Revoke(ctx, id, kp); !errors.Is(err, wire.ErrRevoked) {
		t.Fatalf("second Revoke = %v, want ErrRevoked", err)
	}
	if _, err := ts.client.Create(ctx, kp); !errors.Is(err, wire.ErrKeyInUse) {
		t.Fatalf("re-registering a revoked key = %v, want ErrKeyInUse", err)
	}
}
