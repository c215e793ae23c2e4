package signaling

import (
	"net"
	"testing"
)

// TestShutdownWithIdleConnections: connections that were dialled but never
// sent the WebSocket upgrade (an idle flood) are closed when the server
// stops; Run ends cleanly instead of reporting its shutdown deadline.
func TestShutdownWithIdleConnections(t *testing.T) {
	t.Parallel()
	var idle []net.Conn
	t.Cleanup(func() { // runs after the server's cleanup has stopped it
		for _, c := range idle {
			_ = c.Close()
		}
	})
	s := startServer(t, func(c *Config) { c.PlainWS = true })
	for range 3 {
		c, err := net.Dial("tcp", s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
}
