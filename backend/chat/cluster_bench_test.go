package chat

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
)

// BenchmarkClusterDeliveryLatency measures online delivery from Send to
// the receiver's Incoming channel on PostgreSQL, with sender and receiver
// on one node and on two nodes (the NOTIFY and the queue read), in one run
// for the ratio.
func BenchmarkClusterDeliveryLatency(b *testing.B) {
	for _, cross := range []bool{false, true} {
		name := "same-node"
		if cross {
			name = "cross-node"
		}
		b.Run(name, func(b *testing.B) {
			cl := newCluster(b, 2)
			alice, bob := cl.newUser(), cl.newUser()
			rnode := 0
			if cross {
				rnode = 1
			}
			measureDelivery(b, cl.dialNode(0, alice), cl.dialNode(rnode, bob))
		})
	}
}

// BenchmarkClusterTakeover measures a login takeover across nodes: from
// the start of the new login on one node to the close of the old
// connection on the other.
func BenchmarkClusterTakeover(b *testing.B) {
	cl := newCluster(b, 2)
	bob := cl.newUser()
	old := cl.dialNode(0, bob)
	waitSynced(b, old)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		next := cl.dialNode((i+1)%2, bob)
		select {
		case <-old.Done():
		case <-time.After(testTimeout):
			b.Fatal("the old connection was not closed")
		}
		lat = append(lat, time.Since(start))
		old = next
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkClusterDurableAck measures durably acknowledged messages per
// second with 100 senders spread over 1 or 3 nodes on one PostgreSQL (all
// processes on this machine's cores), receivers offline.
func BenchmarkClusterDurableAck(b *testing.B) {
	for _, nodes := range []int{1, 3} {
		b.Run(fmt.Sprintf("nodes=%d/senders=100/window=4", nodes), func(b *testing.B) {
			cl := newCluster(b, nodes)
			const senders, window = 100, 4
			users := cl.newUsers(2 * senders)
			clients := make([]*client.Client, senders)
			for i := range clients {
				clients[i] = cl.dialNode(i%nodes, users[i])
				waitSynced(b, clients[i])
			}
			sendDurably(b, clients, users[senders:], window)
		})
	}
}

// latencies gathers durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// percentile returns the p-th percentile (0..1) of what was added.
func (l *latencies) percentile(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	slices.Sort(l.d)
	return l.d[int(p*float64(len(l.d)-1))]
}

// reportPercentiles reports the p50 and p99 of lat in microseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
