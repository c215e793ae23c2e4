package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kurier/kurier/backend/signaling"
)

// promSignaling adapts signaling.Metrics to prometheus collectors.
type promSignaling struct {
	conns, paths            prometheus.Gauge
	relayed, protocolErrors prometheus.Counter
}

// Signaling registers the signalling server's gauges and counters and
// returns them for its signaling.Config.Metrics.
func (p *Prometheus) Signaling() (signaling.Metrics, error) {
	return newPromSignaling(p.reg)
}

func newPromSignaling(reg prometheus.Registerer) (*promSignaling, error) {
	m := &promSignaling{
		conns: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "kurier", Subsystem: "signaling",
			Name: "connections", Help: "Open WebSocket connections."}),
		paths: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "kurier", Subsystem: "signaling",
			Name: "paths", Help: "Open SaltyRTC paths (initiator keys with at least one client)."}),
		relayed: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "kurier", Subsystem: "signaling",
			Name: "relayed_messages_total", Help: "Client-to-client frames relayed."}),
		protocolErrors: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "kurier", Subsystem: "signaling",
			Name: "protocol_errors_total", Help: "Connections closed with 3001 (protocol error)."}),
	}
	for _, c := range []prometheus.Collector{m.conns, m.paths, m.relayed, m.protocolErrors} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return m, nil
}

// ConnectionsChanged implements signaling.Metrics.
func (m *promSignaling) ConnectionsChanged(d int) { m.conns.Add(float64(d)) }

// PathsChanged implements signaling.Metrics.
func (m *promSignaling) PathsChanged(d int) { m.paths.Add(float64(d)) }

// MessageRelayed implements signaling.Metrics.
func (m *promSignaling) MessageRelayed() { m.relayed.Inc() }

// ProtocolError implements signaling.Metrics.
func (m *promSignaling) ProtocolError() { m.protocolErrors.Inc() }
