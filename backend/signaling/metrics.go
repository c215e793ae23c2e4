package signaling

// Metrics receives the server's measurements: open connections and paths
// (gauges), relayed messages and protocol errors (counters). Package
// backend/metrics exports them to Prometheus. It is called from many
// goroutines.
type Metrics interface {
	// ConnectionsChanged adds delta (+1 or -1) to the open connections.
	ConnectionsChanged(delta int)
	// PathsChanged adds delta (+1 or -1) to the open paths.
	PathsChanged(delta int)
	// MessageRelayed counts one client↔client frame relayed.
	MessageRelayed()
	// ProtocolError counts one connection closed for a protocol violation.
	ProtocolError()
}

// nopMetrics records nothing (Config.Metrics nil).
type nopMetrics struct{}

// ConnectionsChanged implements Metrics.
func (nopMetrics) ConnectionsChanged(int) {}

// PathsChanged implements Metrics.
func (nopMetrics) PathsChanged(int) {}

// MessageRelayed implements Metrics.
func (nopMetrics) MessageRelayed() {}

// ProtocolError implements Metrics.
func (nopMetrics) ProtocolError() {}
