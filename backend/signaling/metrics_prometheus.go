package signaling

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// promMetrics adapts Metrics to prometheus collectors.
type promMetrics struct {
	conns, paths            prometheus.Gauge
	relayed, protocolErrors prometheus.Counter
}

// NewPrometheusMetrics registers the signalling server's gauges and counters
// with reg and returns them as a Metrics for Config.Metrics.
func NewPrometheusMetrics(reg prometheus.Registerer) (Metrics, error) {
	m := &promMetrics{
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
			return nil, fmt.Errorf("signaling: register metrics: %w", err)
		}
	}
	return m, nil
}

// ConnectionsChanged implements Metrics.
func (m *promMetrics) ConnectionsChanged(d int) { m.conns.Add(float64(d)) }

// PathsChanged implements Metrics.
func (m *promMetrics) PathsChanged(d int) { m.paths.Add(float64(d)) }

// MessageRelayed implements Metrics.
func (m *promMetrics) MessageRelayed() { m.relayed.Inc() }

// ProtocolError implements Metrics.
func (m *promMetrics) ProtocolError() { m.protocolErrors.Inc() }
