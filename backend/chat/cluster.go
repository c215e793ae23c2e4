package chat

import (
	"context"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// liveRelayTTL is how long a no-queuing message (typing, say) for a
// receiver logged in on another node stays in the shared queue: long
// enough for that node to deliver it, short enough not to matter later.
const liveRelayTTL = 10 * time.Second

// clusterStore is what a queue shared by several chat nodes adds (the
// PostgreSQL store): the sessions table behind one login per identity, and
// notifications from the other nodes. Every commit that queues messages
// tells the other nodes whose queues grew (receiver ids only).
type clusterStore interface {
	// nodeID is this node's name.
	nodeID() string
	// claimSession records a new login of identity on this node and
	// returns its epoch, higher than every earlier login's on any node.
	claimSession(ctx context.Context, identity string) (int64, error)
	// releaseSession records that the login with epoch ended (no-queuing
	// messages stop going to this node for it).
	releaseSession(ctx context.Context, identity string, epoch int64) error
	// sessionEpochs returns the current epochs of these identities.
	sessionEpochs(ctx context.Context, identities []string) (map[string]int64, error)
	// listen hands the other nodes' notifications to ev until ctx ends.
	listen(ctx context.Context, ev clusterEvents)
}

// clusterEvents receives what the other nodes announce.
type clusterEvents interface {
	// resync runs after every (re)connection of the listener, before the
	// first notification: whatever was announced while no one listened
	// must be looked up.
	resync(ctx context.Context)
	// queued: messages were committed for these receivers.
	queued(receivers []string)
	// session: identity logged in on another node with epoch.
	session(identity string, epoch int64)
	// lost: the listener's connection failed; it reconnects.
	lost(err error)
	// malformed: a notification could not be read.
	malformed(err error)
}

// clusterNode connects a Server to its cluster.
type clusterNode struct {
	s  *Server
	st clusterStore
}

// resync catches every local connection up with its queue and closes those
// that a login elsewhere has replaced.
func (n clusterNode) resync(ctx context.Context) {
	conns := n.s.hub.all()
	n.s.m.clusterResyncs.Add(1)
	ids := make([]string, len(conns))
	for i, c := range conns {
		c.poll()
		ids[i] = c.id.String()
	}
	if len(ids) == 0 {
		return
	}
	epochs, err := n.st.sessionEpochs(ctx, ids)
	if err != nil {
		n.s.log.Warn("cluster resync: sessions", "err", err)
		return
	}
	for _, c := range conns {
		if e, ok := epochs[c.id.String()]; ok && e > c.epoch {
			n.takeOver(c)
		}
	}
}

func (n clusterNode) queued(receivers []string) {
	n.s.m.clusterNotices.Add(1)
	for _, r := range receivers {
		id, err := csp.ParseID(r)
		if err != nil {
			continue
		}
		if c := n.s.hub.get(id); c != nil {
			c.poll()
		}
	}
}

func (n clusterNode) session(identity string, epoch int64) {
	id, err := csp.ParseID(identity)
	if err != nil {
		return
	}
	if c := n.s.hub.get(id); c != nil && c.epoch < epoch {
		n.takeOver(c)
	}
}

func (n clusterNode) lost(err error) {
	n.s.m.clusterListenerLost.Add(1)
	n.s.log.Warn("cluster listener lost; reconnecting", "err", err)
}

func (n clusterNode) malformed(err error) {
	n.s.log.Warn("cluster notification ignored", "err", err)
}

// takeOver closes c: its identity logged in on another node.
func (n clusterNode) takeOver(c *conn) {
	c.log.Info("connection taken over by another node")
	n.s.m.clusterTakeovers.Add(1)
	c.kill(&csp.CloseError{Message: csp.TakeoverMessage})
}

// claim makes c its identity's one connection in the cluster: it takes a
// new epoch, registers c locally (closing an older local connection) and
// then checks that no login elsewhere overtook it while it registered (a
// notification that came before the registration found nothing to close).
func (n clusterNode) claim(ctx context.Context, c *conn) (old *conn, err error) {
	if c.epoch, err = n.st.claimSession(ctx, c.id.String()); err != nil {
		return nil, err
	}
	old = n.s.hub.register(c)
	epochs, err := n.st.sessionEpochs(ctx, []string{c.id.String()})
	if err != nil {
		return old, err
	}
	if e := epochs[c.id.String()]; e > c.epoch {
		n.takeOver(c)
	}
	return old, nil
}

// release records that c's login ended.
func (n clusterNode) release(c *conn) {
	ctx, cancel := context.WithTimeout(context.Background(), storeQueryTimeout)
	defer cancel()
	if err := n.st.releaseSession(ctx, c.id.String(), c.epoch); err != nil {
		c.log.Warn("cluster session release failed", "err", err)
	}
}
