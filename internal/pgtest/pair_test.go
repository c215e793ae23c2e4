package pgtest

import (
	"strings"
	"testing"
	"time"
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

// TestEveryPromotionAfterACutTakesEffect: failovers as the failover tests
// make them (receiver paused, primary killed, receiver killed, standby
// promoted), with no load: every promotion ends. A promotion requested
// while the standby restarted after its receiver's death was taken by the
// old startup process and lost with it; the standby then waited for its
// dead primary until pg_ctl gave up (in about one run in three of this
// test). So the cut returns only once a new startup process runs, which
// each cycle checks.
func TestEveryPromotionAfterACutTakesEffect(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two PostgreSQL servers through failovers")
	}
	p := StartPair(t, false)
	p.promoteWait = 20 * time.Second
	for range 12 {
		standby := 1 - p.cur
		cut := p.PauseReplication()
		p.Failover(func() {
			before := startupPID(p.postmasterPID(standby))
			cut()
			if after := startupPID(p.postmasterPID(standby)); after == before {
				t.Errorf("the cut returned while startup process %d, which dies in the restart, could still take the promotion", before)
			}
		})
	}
}
