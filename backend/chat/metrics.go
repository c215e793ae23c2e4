package chat

import (
	"sync/atomic"
	"time"
)

// metrics are the server's counters and gauges, read through Stats.
type metrics struct {
	connected  atomic.Int64 // logged-in connections
	queueDepth atomic.Int64 // rows in the queue
	// depthDeltas sums every change this node made to queueDepth, so that a
	// refresh from the store keeps those made while it counted.
	depthDeltas atomic.Int64
	accepted    atomic.Uint64
	delivered   atomic.Uint64
	expired     atomic.Uint64
	rejected    atomic.Uint64
	slow        atomic.Uint64
	commits     atomic.Uint64
	committed   atomic.Uint64 // requests in those commits
	commitNs    atomic.Int64  // time spent applying and committing them

	unknownReceiver atomic.Uint64 // messages refused: receiver unknown or revoked
	throttled       atomic.Uint64 // messages read late: the sender was over its rate
	storeFull       atomic.Uint64 // messages refused: the queue's files at their watermark

	clusterNotices      atomic.Uint64 // queued notifications from other nodes
	clusterPolls        atomic.Uint64 // queue reads past a connection's cursor
	clusterResyncs      atomic.Uint64 // full re-scans after the listener (re)connected
	clusterListenerLost atomic.Uint64 // listener connections lost
	clusterTakeovers    atomic.Uint64 // connections closed for a login on another node
}

// Stats is a snapshot of the server's metrics, for the admin API and
// Prometheus (each field is meant as one gauge or counter).
type Stats struct {
	// ConnectedClients is the number of logged-in connections (gauge).
	ConnectedClients int64
	// QueueDepth is the number of messages waiting for their receiver's
	// ack, expired ones not yet purged included (gauge); on a queue shared
	// by several nodes, the whole queue's, re-read every
	// StoreCheckInterval.
	QueueDepth int64
	// MessagesAccepted counts outgoing messages accepted: stored, or ordered
	// for live delivery when flagged no-queuing (counter).
	MessagesAccepted uint64
	// MessagesDelivered counts incoming-message frames written to receivers,
	// redeliveries included (counter).
	MessagesDelivered uint64
	// MessagesExpired counts undelivered messages purged after their
	// retention time (counter).
	MessagesExpired uint64
	// MessagesRejected counts outgoing messages refused because their
	// receiver's queue was full; they are neither stored nor acked (counter).
	MessagesRejected uint64
	// SlowReceivers counts connections closed because their receiver fell
	// too far behind (counter).
	SlowReceivers uint64
	// Commits counts the queue's group commits and CommittedRequests the
	// requests (enqueues, deletes, purges) they held (counters); their ratio
	// is the mean batch size.
	Commits, CommittedRequests uint64
	// CommitTime is the total time spent in those transactions (counter).
	CommitTime time.Duration
	// ConnectionsRefused counts connections closed on accept, by reason:
	// "connections_total", "connections_per_address" (open connections),
	// "logins_total", "logins_per_address" (connections in their login)
	// (counters).
	ConnectionsRefused map[string]uint64
	// MessagesRefusedUnknownReceiver counts messages to identities the
	// directory does not know (or revoked): neither stored nor acked (counter).
	MessagesRefusedUnknownReceiver uint64
	// MessagesThrottled counts messages read late because their sender was
	// over its rate (counter).
	MessagesThrottled uint64
	// MessagesRefusedStoreFull counts messages refused while the queue's
	// files were at their watermark (counter).
	MessagesRefusedStoreFull uint64
	// ClusterNotices counts notifications from other nodes that messages
	// were queued; ClusterPolls the queue reads they (and out-of-order
	// commits) caused; ClusterResyncs the full re-scans after the
	// listener's connection was (re)established; ClusterListenerLost the
	// times it was lost; ClusterTakeovers the connections closed for a
	// login of their identity on another node (counters; zero on SQLite).
	ClusterNotices, ClusterPolls, ClusterResyncs, ClusterListenerLost, ClusterTakeovers uint64
}

// Stats returns a snapshot of the server's metrics.
func (s *Server) Stats() Stats {
	return Stats{
		ConnectedClients:               s.m.connected.Load(),
		QueueDepth:                     s.m.queueDepth.Load(),
		MessagesAccepted:               s.m.accepted.Load(),
		MessagesDelivered:              s.m.delivered.Load(),
		MessagesExpired:                s.m.expired.Load(),
		MessagesRejected:               s.m.rejected.Load(),
		SlowReceivers:                  s.m.slow.Load(),
		Commits:                        s.m.commits.Load(),
		CommittedRequests:              s.m.committed.Load(),
		CommitTime:                     time.Duration(s.m.commitNs.Load()),
		ConnectionsRefused:             s.connectionsRefused(),
		MessagesRefusedUnknownReceiver: s.m.unknownReceiver.Load(),
		MessagesThrottled:              s.m.throttled.Load(),
		MessagesRefusedStoreFull:       s.m.storeFull.Load(),
		ClusterNotices:                 s.m.clusterNotices.Load(),
		ClusterPolls:                   s.m.clusterPolls.Load(),
		ClusterResyncs:                 s.m.clusterResyncs.Load(),
		ClusterListenerLost:            s.m.clusterListenerLost.Load(),
		ClusterTakeovers:               s.m.clusterTakeovers.Load(),
	}
}

func (s *Server) connectionsRefused() map[string]uint64 {
	out := make(map[string]uint64, numRefusals)
	for i, name := range refusalNames {
		out[name] = s.refusedFor[i].Load()
	}
	return out
}

// addDepth changes the queue depth gauge by d (messages this node stored or removed).
func (m *metrics) addDepth(d int64) {
	m.depthDeltas.Add(d)
	m.queueDepth.Add(d)
}
