package directory

import (
	"net/http"
	"net/netip"
	"testing"
	"time"
)

func TestLimiterTable(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	tbl := newLimiterTable(RateLimit{PerSecond: 1, Burst: 2}, RateLimit{PerSecond: 0.5, Burst: 1}, RateLimit{PerSecond: 1, Burst: 10}, 3)
	a := netip.MustParseAddr("192.0.2.1")

	if ok, _, _ := tbl.allow(a, now, classGeneral, classLookup); !ok {
		t.Fatal("first lookup refused")
	}
	ok, class, wait := tbl.allow(a, now, classGeneral, classLookup)
	if ok || class != classLookup || wait != 2*time.Second {
		t.Fatalf("second lookup: ok=%v class=%v wait=%v, want lookup budget, 2s", ok, class, wait)
	}
	if ok, _, _ := tbl.allow(a, now, classGeneral); !ok {
		t.Fatal("general request refused while only the lookup budget is spent")
	}
	if ok, class, _ := tbl.allow(a, now, classGeneral); ok || class != classGeneral {
		t.Fatal("general budget not enforced")
	}
	if ok, _, _ := tbl.allow(a, now.Add(2*time.Second), classGeneral, classLookup); !ok {
		t.Fatal("budget did not refill")
	}

	for i := range 5 {
		tbl.allow(netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}), now, classGeneral)
	}
	if n := tbl.tracked(); n != 3 {
		t.Fatalf("tracked = %d, want the bound 3", n)
	}
	tbl.allow(netip.MustParseAddr("203.0.113.9"), now.Add(time.Hour), classGeneral)
	if n := tbl.tracked(); n != 1 {
		t.Fatalf("tracked after idle eviction = %d, want 1", n)
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	tests := []struct{ remote, want string }{
		{"192.0.2.1:4242", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::"},
		{"[::ffff:192.0.2.7]:80", "192.0.2.7"},
		{"garbage", "invalid IP"},
	}
	for _, tt := range tests {
		r := &http.Request{RemoteAddr: tt.remote}
		if got := clientAddr(r).String(); got != tt.want {
			t.Errorf("clientAddr(%q) = %s, want %s", tt.remote, got, tt.want)
		}
	}
}
