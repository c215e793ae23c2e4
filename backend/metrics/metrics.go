// Package metrics exports the backend's measurements in Prometheus' text
// format on the admin server's /metrics: the signalling server's gauges and
// counters, every server's Stats(), the Go runtime and the process.
// kurier-backend uses it (backend.Config.Metrics); the desktop's embedded
// world does not, and so does not link Prometheus.
package metrics

import "github.com/prometheus/client_golang/prometheus"

// Prometheus is one backend's metrics registry. It implements
// backend.Metrics.
type Prometheus struct {
	reg *prometheus.Registry
}

// New returns an empty registry.
func New() *Prometheus { return &Prometheus{reg: prometheus.NewRegistry()} }
