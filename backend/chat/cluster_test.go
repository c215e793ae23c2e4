package chat

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/protocol/csp"
)

// chatCluster is one directory, one PostgreSQL database and several chat
// nodes sharing it (the same server key, as clients know one).
type chatCluster struct {
	*world // node 0 and the directory
	url    string
	nodes  []*Server
}

// newCluster starts n chat nodes on one fresh PostgreSQL database; mutate,
// if given, adjusts every node's Config.
func newCluster(t testing.TB, n int, mutate ...func(*Config)) *chatCluster {
	t.Helper()
	url := pgtest.URL(t)
	w := newWorld(t, func(c *Config) {
		c.Database, c.Node = url, "node0"
		if _, ok := t.(*testing.B); ok {
			benchLimits(c)
		}
		for _, m := range mutate {
			m(c)
		}
	})
	cl := &chatCluster{world: w, url: url, nodes: []*Server{w.srv}}
	for i := 1; i < n; i++ {
		cfg := w.config()
		cfg.DataDir, cfg.Node = t.TempDir(), fmt.Sprintf("node%d", i)
		srv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("node %d Run: %v", i, err)
			}
		})
		cl.nodes = append(cl.nodes, srv)
	}
	// Every node listens before the test sends: a node's first resync
	// marks it.
	eventually(t, "every node listening", func() bool {
		for _, s := range cl.nodes {
			if s.Stats().ClusterResyncs == 0 {
				return false
			}
		}
		return true
	})
	return cl
}

// dialNode connects u to node i.
func (cl *chatCluster) dialNode(i int, u user, mutate ...func(*client.Config)) *client.Client {
	cl.t.Helper()
	return cl.dial(u, append([]func(*client.Config){func(c *client.Config) { c.Addr = cl.nodes[i].Addr().String() }}, mutate...)...)
}

// TestClusterDeliversAcrossNodes: senders on every node, receivers on
// other nodes (online from the start, or logging in later for their
// backlog): every message arrives exactly once, in order per sender.
func TestClusterDeliversAcrossNodes(t *testing.T) {
	t.Parallel()
	cl := newCluster(t, 3)
	const perSender = 60
	senders := []user{cl.newUser(), cl.newUser(), cl.newUser()}
	online := []user{cl.newUser(), cl.newUser()}
	late := cl.newUser()
	rcvs := make([]*client.Client, len(online))
	for i, u := range online {
		rcvs[i] = cl.dialNode(i+1, u) // nodes 1 and 2
		waitSynced(t, rcvs[i])
	}
	var wg sync.WaitGroup
	for i, s := range senders {
		c := cl.dialNode(i, s) // one sender on each node
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			for m := range uint64(perSender) {
				for _, to := range []user{online[0], online[1], late} {
					if err := c.Send(ctx, envelope(s.id, to.id, m+1, 0)); err != nil {
						t.Errorf("send: %v", err)
						return
					}
				}
			}
		}()
	}
	check := func(c *client.Client) {
		t.Helper()
		next := map[csp.ID]uint64{}
		for range len(senders) * perSender {
			env := receiveAck(t, c)
			if env.MessageID != next[env.Sender]+1 {
				t.Fatalf("from %s: message %d after %d", env.Sender, env.MessageID, next[env.Sender])
			}
			next[env.Sender] = env.MessageID
		}
		expectNothing(t, c, 200*time.Millisecond)
	}
	for _, c := range rcvs {
		check(c)
	}
	wg.Wait()
	check(cl.dialNode(0, late))
	var notices uint64
	for _, s := range cl.nodes {
		notices += s.Stats().ClusterNotices
	}
	if notices == 0 {
		t.Fatal("no node heard of another's commits")
	}
}

// TestClusterLoginTakesOverAcrossNodes: a second login of an identity on
// another node closes the first with the takeover close-error, and its
// messages go to the new connection from then on.
func TestClusterLoginTakesOverAcrossNodes(t *testing.T) {
	t.Parallel()
	cl := newCluster(t, 3)
	alice, bob := cl.newUser(), cl.newUser()
	ca := cl.dialNode(0, alice)
	first := cl.dialNode(1, bob)
	waitSynced(t, first)
	second := cl.dialNode(2, bob)
	select {
	case <-first.Done():
	case <-time.After(testTimeout):
		t.Fatal("the first connection was not closed")
	}
	var ce *client.CloseError
	if err := first.Err(); !errors.Is(err, client.ErrTakenOver) || !errors.As(err, &ce) || ce.CanReconnect {
		t.Fatalf("first connection ended with %v", err)
	}
	send(t, ca, envelope(alice.id, bob.id, 9, 0))
	if env := receiveAck(t, second); env.MessageID != 9 {
		t.Fatalf("got %d", env.MessageID)
	}
	if n := cl.nodes[1].Stats().ClusterTakeovers; n != 1 {
		t.Fatalf("node 1 counted %d takeovers, want 1", n)
	}
}

// TestClusterNoQueuingReachesAnotherNode: a no-queuing message (typing)
// reaches a receiver logged in on another node, and is not kept for a
// receiver logged in nowhere.
func TestClusterNoQueuingReachesAnotherNode(t *testing.T) {
	t.Parallel()
	cl := newCluster(t, 2)
	alice, bob := cl.newUser(), cl.newUser()
	ca := cl.dialNode(0, alice)
	send(t, ca, envelope(alice.id, bob.id, 1, csp.FlagNoQueuing))
	cb := cl.dialNode(1, bob)
	waitSynced(t, cb)
	expectNothing(t, cb, 100*time.Millisecond)
	send(t, ca, envelope(alice.id, bob.id, 2, csp.FlagNoQueuing|csp.FlagNoAck))
	if env := receive(t, cb); env.MessageID != 2 {
		t.Fatalf("got %d, want 2", env.MessageID)
	}
	// bob leaves: his session is released, nothing is relayed any more.
	_ = cb.Close()
	eventually(t, "bob gone", func() bool { return cl.nodes[1].Stats().ConnectedClients == 0 })
	// (Message 2, relayed and never acked, waits out its brief expiry.)
	before := cl.depth(bob)
	send(t, ca, envelope(alice.id, bob.id, 3, csp.FlagNoQueuing))
	if d := cl.depth(bob); d != before {
		t.Fatalf("no-queuing message kept for an offline receiver: depth %d, was %d", d, before)
	}
}

// TestClusterListenerReconnectResyncs: when a node's listening connection
// is cut, messages committed elsewhere meanwhile still arrive (the re-scan
// after reconnecting), and a takeover announced meanwhile is applied.
func TestClusterListenerReconnectResyncs(t *testing.T) {
	t.Parallel()
	cl := newCluster(t, 2)
	alice, bob := cl.newUser(), cl.newUser()
	ca := cl.dialNode(0, alice)
	cb := cl.dialNode(1, bob)
	waitSynced(t, cb)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	db, err := pgx.Connect(ctx, cl.url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close(context.Background()) }()
	before := cl.nodes[1].Stats().ClusterResyncs
	// Cut every listener (node 1's included) and send at once.
	if _, err := db.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, listenerApplicationName); err != nil {
		t.Fatal(err)
	}
	// One message while the listener is (most likely) down: no later
	// notification would bring it, only the re-scan.
	send(t, ca, envelope(alice.id, bob.id, 1, 0))
	if env := receiveAck(t, cb); env.MessageID != 1 {
		t.Fatalf("got %d, want 1", env.MessageID)
	}
	eventually(t, "node 1 re-scanned", func() bool {
		st := cl.nodes[1].Stats()
		return st.ClusterResyncs > before && st.ClusterListenerLost > 0
	})
}

// TestClusterPollDuringLoginKeepsTheBacklogFlush: a poll (a resync after
// the listener reconnected, or another node's notice) that reaches a
// connection after its session claim and before its backlog flush must not
// take the flush's place: the login still gets its backlog and the end of
// it. Before the fix the poll started a writer that found nothing to do,
// the flush never ran, and the client's login timed out waiting for its
// first frame (CI: a failover test's login, while the second node's
// listener made its first resync).
func TestClusterPollDuringLoginKeepsTheBacklogFlush(t *testing.T) {
	t.Parallel()
	cl := newCluster(t, 1)
	alice, bob := cl.newUser(), cl.newUser()
	ca := cl.dialNode(0, alice)
	send(t, ca, envelope(alice.id, bob.id, 1, 0))
	poll := func(c *conn) {
		if c.id == bob.id {
			c.pollLocked()
		}
	}
	cl.nodes[0].beforeFlush.Store(&poll)
	cb := cl.dialNode(0, bob, func(c *client.Config) { c.DialTimeout = 5 * time.Second })
	if env := receiveAck(t, cb); env.MessageID != 1 {
		t.Fatalf("got %d, want 1", env.MessageID)
	}
	waitSynced(t, cb)
}

// TestClusterQueueBoundIsClusterWide: a receiver's queue bound counts what
// every node queued: a node that saw the queue half full earlier does not
// let it grow past the bound after another node filled it (once its own
// count is older than sharedDepthTTL).
func TestClusterQueueBoundIsClusterWide(t *testing.T) {
	t.Parallel()
	cl := newCluster(t, 2, func(c *Config) { c.MaxQueuePerReceiver = 10 })
	alice, carol, bob := cl.newUser(), cl.newUser(), cl.newUser()
	ca, cc := cl.dialNode(0, alice), cl.dialNode(1, carol)
	for i := range uint64(5) {
		send(t, cc, envelope(carol.id, bob.id, i+1, 0)) // node 1 sees 5
	}
	for i := range uint64(5) {
		send(t, ca, envelope(alice.id, bob.id, i+1, 0)) // node 0 fills it
	}
	time.Sleep(sharedDepthTTL + 100*time.Millisecond) // node 1's count is no longer trusted
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := cc.Send(ctx, envelope(carol.id, bob.id, 6, 0)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send to a full queue through the other node: %v", err)
	}
	if d := cl.depth(bob); d != 10 {
		t.Fatalf("depth %d, want 10", d)
	}
}
