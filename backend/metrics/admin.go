package metrics

import (
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kurier/kurier/backend/admin"
	"github.com/kurier/kurier/internal/connlimit"
)

// Admin is the admin server's /metrics (an admin.Config.Metrics): the Go
// runtime's and the process's collectors, and each server's Stats() as
// collectors read at scrape time, so the servers themselves do not depend on
// Prometheus; own is the admin server's listener, whose refusals are counted
// too.
func (p *Prometheus) Admin(cfg admin.Config, own *connlimit.Listener) (http.Handler, error) {
	if err := p.reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, fmt.Errorf("metrics: register: %w", err)
	}
	if err := p.reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, fmt.Errorf("metrics: register: %w", err)
	}
	if err := registerServers(p.reg, cfg, own); err != nil {
		return nil, err
	}
	return promhttp.HandlerFor(p.reg, promhttp.HandlerOpts{Registry: p.reg}), nil
}

// registerServers registers the collectors of the servers cfg names.
func registerServers(reg *prometheus.Registry, cfg admin.Config, own *connlimit.Listener) error {
	var cs []prometheus.Collector
	counter := func(name, help string, labels prometheus.Labels, f func() float64) {
		cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "kurier", Name: name, Help: help, ConstLabels: labels}, f))
	}
	gauge := func(name, help string, labels prometheus.Labels, f func() float64) {
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "kurier", Name: name, Help: help, ConstLabels: labels}, f))
	}
	const rateLimitedHelp = "Requests refused with 429 by a per-address rate limit."
	const refusedHelp = "Connections refused: closed on accept over the bound per client address or in total; chat logins and signaling WebSocket upgrades over their bounds."
	refused := func(server string, perAddr, total func() uint64) {
		counter("connections_refused_total", refusedHelp, prometheus.Labels{"server": server, "reason": "per_address"},
			func() float64 { return float64(perAddr()) })
		counter("connections_refused_total", refusedHelp, prometheus.Labels{"server": server, "reason": "total"},
			func() float64 { return float64(total()) })
	}
	refused("admin", func() uint64 { return own.Refused(connlimit.RefusedPerAddr) }, func() uint64 { return own.Refused(connlimit.RefusedTotal) })
	if d := cfg.Directory; d != nil {
		counter("directory_identities_registered_total", "Identities created since start.", nil,
			func() float64 { return float64(d.Stats().IdentitiesRegistered) })
		counter("ratelimited_requests_total", rateLimitedHelp, prometheus.Labels{"server": "directory", "budget": "general"},
			func() float64 { return float64(d.Stats().RateLimitedGeneral) })
		counter("ratelimited_requests_total", rateLimitedHelp, prometheus.Labels{"server": "directory", "budget": "lookup"},
			func() float64 { return float64(d.Stats().RateLimitedLookup) })
		counter("ratelimited_requests_total", rateLimitedHelp, prometheus.Labels{"server": "directory", "budget": "match"},
			func() float64 { return float64(d.Stats().RateLimitedMatch) })
		refused("directory", func() uint64 { return d.Stats().ConnsRefusedPerAddr }, func() uint64 { return d.Stats().ConnsRefusedTotal })
	}
	if b := cfg.Blob; b != nil {
		gauge("blob_bytes_stored", "Bytes of stored blobs.", nil, func() float64 { return float64(b.Stats().BytesStored) })
		gauge("blob_blobs_stored", "Number of stored blobs.", nil, func() float64 { return float64(b.Stats().Blobs) })
		counter("blob_uploads_total", "Completed uploads.", nil, func() float64 { return float64(b.Stats().Uploads) })
		counter("blob_downloads_total", "Served downloads.", nil, func() float64 { return float64(b.Stats().Downloads) })
		counter("blob_purged_total", "Blobs deleted after the retention time.", nil, func() float64 { return float64(b.Stats().Purged) })
		counter("ratelimited_requests_total", rateLimitedHelp, prometheus.Labels{"server": "blob", "budget": "general"},
			func() float64 { return float64(b.Stats().RateLimited) })
		refused("blob", func() uint64 { return b.Stats().ConnsRefusedPerAddr }, func() uint64 { return b.Stats().ConnsRefusedTotal })
		const uploadsRefusedHelp = "Uploads refused: over the address's quota (429), above the storage watermark (507), too slow a body (408)."
		counter("blob_uploads_refused_total", uploadsRefusedHelp, prometheus.Labels{"reason": "quota"},
			func() float64 { return float64(b.Stats().UploadsRefusedQuota) })
		counter("blob_uploads_refused_total", uploadsRefusedHelp, prometheus.Labels{"reason": "full"},
			func() float64 { return float64(b.Stats().UploadsRefusedFull) })
		counter("blob_uploads_refused_total", uploadsRefusedHelp, prometheus.Labels{"reason": "slow"},
			func() float64 { return float64(b.Stats().UploadsRefusedSlow) })
	}
	if c := cfg.Chat; c != nil {
		gauge("chat_connected_clients", "Logged-in chat connections.", nil, func() float64 { return float64(c.Stats().ConnectedClients) })
		gauge("chat_queue_depth", "Messages waiting for their receiver's ack.", nil, func() float64 { return float64(c.Stats().QueueDepth) })
		counter("chat_messages_accepted_total", "Outgoing messages accepted (durably stored or live-delivered).", nil,
			func() float64 { return float64(c.Stats().MessagesAccepted) })
		counter("chat_messages_delivered_total", "Incoming-message frames written to receivers.", nil,
			func() float64 { return float64(c.Stats().MessagesDelivered) })
		counter("chat_messages_expired_total", "Undelivered messages purged after the retention time.", nil,
			func() float64 { return float64(c.Stats().MessagesExpired) })
		counter("chat_commits_total", "Group commits of the chat queue.", nil, func() float64 { return float64(c.Stats().Commits) })
		const chatRefusedHelp = "Outgoing messages neither stored nor acked: the receiver's queue is full (count or bytes), or the directory does not know the receiver."
		counter("chat_messages_refused_total", chatRefusedHelp, prometheus.Labels{"reason": "queue_full"},
			func() float64 { return float64(c.Stats().MessagesRejected) })
		counter("chat_messages_refused_total", chatRefusedHelp, prometheus.Labels{"reason": "unknown_receiver"},
			func() float64 { return float64(c.Stats().MessagesRefusedUnknownReceiver) })
		counter("chat_messages_refused_total", chatRefusedHelp, prometheus.Labels{"reason": "store_full"},
			func() float64 { return float64(c.Stats().MessagesRefusedStoreFull) })
		counter("chat_messages_throttled_total", "Outgoing messages read late because their sender was over its rate.", nil,
			func() float64 { return float64(c.Stats().MessagesThrottled) })
		counter("chat_cluster_notices_total", "Notifications from other chat nodes that messages were queued.", nil,
			func() float64 { return float64(c.Stats().ClusterNotices) })
		counter("chat_cluster_polls_total", "Reads of a receiver's queue past its cursor (cluster).", nil,
			func() float64 { return float64(c.Stats().ClusterPolls) })
		counter("chat_cluster_resyncs_total", "Full re-scans after the cluster listener (re)connected.", nil,
			func() float64 { return float64(c.Stats().ClusterResyncs) })
		counter("chat_cluster_listener_lost_total", "Cluster listener connections lost.", nil,
			func() float64 { return float64(c.Stats().ClusterListenerLost) })
		counter("chat_cluster_takeovers_total", "Connections closed for a login of their identity on another node.", nil,
			func() float64 { return float64(c.Stats().ClusterTakeovers) })
		for _, reason := range []string{"connections_total", "connections_per_address", "logins_total", "logins_per_address"} {
			counter("connections_refused_total", refusedHelp, prometheus.Labels{"server": "chat", "reason": reason},
				func() float64 { return float64(c.Stats().ConnectionsRefused[reason]) })
		}
	}
	if g := cfg.Signaling; g != nil {
		refused("signaling", func() uint64 { return g.Stats().ConnsRefusedPerAddr }, func() uint64 { return g.Stats().ConnsRefusedTotal })
		counter("connections_refused_total", refusedHelp, prometheus.Labels{"server": "signaling", "reason": "websocket_per_address"},
			func() float64 { return float64(g.Stats().UpgradesRefused) })
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: register: %w", err)
		}
	}
	return nil
}
