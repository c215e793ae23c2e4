package ratelimit

import (
	"net/http"
	"net/netip"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestBudgetsAreIndependentPerAddressAndClass(t *testing.T) {
	t.Parallel()
	tab := NewTable(100, Limit{PerSecond: 1, Burst: 2}, Limit{PerSecond: 1, Burst: 1})
	a, b := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	for i := range 2 {
		if ok, _, _ := tab.Allow(a, t0, 0); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	ok, blocked, wait := tab.Allow(a, t0, 0)
	if ok || blocked != 0 || wait <= 0 || wait > time.Second {
		t.Fatalf("third request: ok=%v class=%d wait=%v", ok, blocked, wait)
	}
	if ok, _, _ := tab.Allow(b, t0, 0); !ok {
		t.Fatal("another address was limited")
	}
	if ok, _, _ := tab.Allow(a, t0.Add(time.Second), 0); !ok {
		t.Fatal("the bucket did not refill")
	}
}

func TestRefusedRequestCostsNothing(t *testing.T) {
	t.Parallel()
	tab := NewTable(10, Limit{PerSecond: 1, Burst: 5}, Limit{PerSecond: 1, Burst: 1})
	a := netip.MustParseAddr("10.0.0.1")
	if ok, _, _ := tab.Allow(a, t0, 0, 1); !ok {
		t.Fatal("first refused")
	}
	// Class 1 is empty: the request is refused and class 0 keeps its tokens.
	if ok, blocked, _ := tab.Allow(a, t0, 0, 1); ok || blocked != 1 {
		t.Fatalf("second: ok=%v blocked=%d", ok, blocked)
	}
	for i := range 4 {
		if ok, _, _ := tab.Allow(a, t0, 0); !ok {
			t.Fatalf("class 0 lost tokens to a refused request (request %d)", i)
		}
	}
	if ok, _, wait := tab.AllowN(a, t0, 100, 0); ok || wait != time.Hour {
		t.Fatalf("n above burst: ok=%v wait=%v", ok, wait)
	}
}

func TestTableStaysBounded(t *testing.T) {
	t.Parallel()
	tab := NewTable(3, Limit{PerSecond: 1, Burst: 1})
	for i := range 10 {
		tab.Allow(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), t0, 0)
	}
	if n := tab.Tracked(); n != 3 {
		t.Fatalf("tracking %d addresses, want 3", n)
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	for remote, want := range map[string]string{
		"127.0.0.1:5555":             "127.0.0.1",
		"[::ffff:10.1.2.3]:80":       "10.1.2.3",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::",
		"garbage":                    "invalid IP",
	} {
		got := ClientAddr(&http.Request{RemoteAddr: remote})
		if got.String() != want {
			t.Errorf("%s → %s, want %s", remote, got, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{0: "1", time.Millisecond: "1", 1500 * time.Millisecond: "2", time.Hour: "3600"} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %s, want %s", d, got, want)
		}
	}
}

// TestSlowBudgetIsNotForgotten: an address idle for longer than IdleTTL
// but shorter than its bucket's refill time keeps its (partly refilled)
// bucket; forgetting it would hand out a full one.
func TestSlowBudgetIsNotForgotten(t *testing.T) {
	t.Parallel()
	tab := NewTable(100, Limit{PerSecond: 100.0 / 3600, Burst: 10}) // refills in 6 min per 10 tokens: 10 per 6 min
	slow := NewTable(100, Limit{PerSecond: 10.0 / 3600, Burst: 10}) // 10 per hour
	a := netip.MustParseAddr("10.0.0.9")
	for _, tt := range []struct {
		tab  *Table
		want int // tokens available after 20 minutes idle
	}{{tab, 10}, {slow, 3}} {
		if ok, _, _ := tt.tab.AllowN(a, t0, 10, 0); !ok {
			t.Fatal("the full bucket was refused")
		}
		later := t0.Add(20 * time.Minute)
		got := 0
		for got < 20 {
			if ok, _, _ := tt.tab.Allow(a, later, 0); !ok {
				break
			}
			got++
		}
		if got != tt.want {
			t.Fatalf("after 20 idle minutes %d tokens, want %d", got, tt.want)
		}
	}
}
