package pgtest

import (
	"strings"
	"testing"
)

// TestPairStateNamesRecovery: the state a failed promotion reports says,
// for the standby, that it is in recovery and what its startup process and
// WAL receiver are doing, and for the primary that it is in production;
// for a server that is gone, that it is.
func TestPairStateNamesRecovery(t *testing.T) {
	p := StartPair(t, true)
	standby := p.state(1 - p.cur)
	for _, want := range []string{"Database cluster state:", "in archive recovery", "startup", "walreceiver"} {
		if !strings.Contains(standby, want) {
			t.Errorf("the standby's state lacks %q:\n%s", want, standby)
		}
	}
	if primary := p.state(p.cur); !strings.Contains(primary, "in production") || !strings.Contains(primary, "walsender") {
		t.Errorf("the primary's state:\n%s", primary)
	}
	// A server that is gone (no postmaster.pid) is described, not a second failure.
	gone := *p
	gone.nodes[0].data = t.TempDir()
	if s := gone.state(0); !strings.Contains(s, "no postmaster") {
		t.Errorf("the state of a server that is gone:\n%s", s)
	}
}
