package chat

import (
	"sync"

	"github.com/kurier/kurier/protocol/csp"
)

// hub maps each logged-in identity to its one connection.
type hub struct {
	mu    sync.RWMutex
	conns map[csp.ID]*conn
}

func newHub() *hub { return &hub{conns: make(map[csp.ID]*conn)} }

// register makes c the connection of its identity and returns the one it
// replaces (the takeover of §3.3), if any. A connection with a higher
// cluster epoch (a later login) stays; c is returned to be closed instead.
func (h *hub) register(c *conn) *conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	old := h.conns[c.id]
	if old != nil && old.epoch > c.epoch {
		return c
	}
	h.conns[c.id] = c
	return old
}

// unregister removes c unless another connection has taken over its identity.
func (h *hub) unregister(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns[c.id] == c {
		delete(h.conns, c.id)
	}
}

// get returns the connection of id, or nil.
func (h *hub) get(id csp.ID) *conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.conns[id]
}

// len counts the registered connections.
func (h *hub) len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.conns)
}

// all returns every registered connection.
func (h *hub) all() []*conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*conn, 0, len(h.conns))
	for _, c := range h.conns {
		out = append(out, c)
	}
	return out
}
