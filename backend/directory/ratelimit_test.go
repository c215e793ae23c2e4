package directory

import (
	"net/netip"
	"testing"
	"time"
)

func TestLimiterTable(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	tbl := newLimiterTable(RateLimit{PerSecond: 1, Burst: 2}, RateLimit{PerSecond: 0.5, Burst: 1}, RateLimit{PerSecond: 1, Burst: 10}, 3)
	a := netip.MustParseAddr("192.0.2.1")

	if ok, _, _ := tbl.Allow(a, now, classGeneral, classLookup); !ok {
		t.Fatal("first lookup refused")
	}
	ok, class, wait := tbl.Allow(a, now, classGeneral, classLookup)
	if ok || class != classLookup || wait != 2*time.Second {
		t.Fatalf("second lookup: ok=%v class=%v wait=%v, want lookup budget, 2s", ok, class, wait)
	}
	if ok, _, _ := tbl.Allow(a, now, classGeneral); !ok {
		t.Fatal("general request refused while only the lookup budget is spent")
	}
	if ok, class, _ := tbl.Allow(a, now, classGeneral); ok || class != classGeneral {
		t.Fatal("general budget not enforced")
	}
	if ok, _, _ := tbl.Allow(a, now.Add(2*time.Second), classGeneral, classLookup); !ok {
		t.Fatal("budget did not refill")
	}

	for i := range 5 {
		tbl.Allow(netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}), now, classGeneral)
	}
	if n := tbl.Tracked(); n != 3 {
		t.Fatalf("tracked = %d, want the bound 3", n)
	}
	tbl.Allow(netip.MustParseAddr("203.0.113.9"), now.Add(time.Hour), classGeneral)
	if n := tbl.Tracked(); n != 1 {
		t.Fatalf("tracked after idle eviction = %d, want 1", n)
	}
}
