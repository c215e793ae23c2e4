package signaling

import "github.com/kurier/kurier/internal/connlimit"

// Stats are the server's refusal counters since the start, read by the
// admin server's metrics at scrape time.
type Stats struct {
	// ConnsRefusedPerAddr and ConnsRefusedTotal count connections closed on
	// accept, before TLS: over twice MaxConnsPerIP for one address, or over
	// the bound of all connections.
	ConnsRefusedPerAddr, ConnsRefusedTotal uint64
	// UpgradesRefused counts WebSocket upgrades answered 429: the address
	// already holds MaxConnsPerIP WebSocket connections.
	UpgradesRefused uint64
}

// Stats reports the server's refusal counters.
func (s *Server) Stats() Stats {
	return Stats{
		ConnsRefusedPerAddr: s.conns0.Refused(connlimit.RefusedPerAddr),
		ConnsRefusedTotal:   s.conns0.Refused(connlimit.RefusedTotal),
		UpgradesRefused:     s.upgradesRefused.Load(),
	}
}
