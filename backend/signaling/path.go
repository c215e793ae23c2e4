package signaling

import (
	"fmt"
	"slices"
	"sync"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// path is the meeting point of one initiator key: at most one initiator and
// up to 254 responders (§1.1, §1.4).
type path struct {
	key     cryptobox.PublicKey
	members int // guarded by Server.mu: clients between join and leave

	mu         sync.Mutex
	initiator  *client
	responders map[saltyrtc.Address]*client
}

// reservePath finds or creates the path for key and counts c as a member,
// so it outlives the join. It fails with ErrPathFull at MaxPaths.
func (s *Server) reservePath(key cryptobox.PublicKey) (*path, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paths[key]
	if p == nil {
		if len(s.paths) >= s.cfg.Limits.MaxPaths {
			return nil, fmt.Errorf("%w: server has %d paths", saltyrtc.ErrPathFull, len(s.paths))
		}
		p = &path{key: key, responders: make(map[saltyrtc.Address]*client)}
		s.paths[key] = p
		s.cfg.Metrics.PathsChanged(1)
	}
	p.members++
	return p, nil
}

// releasePath drops one member and removes the path when it is empty.
func (s *Server) releasePath(p *path) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.members--; p.members == 0 {
		delete(s.paths, p.key)
		s.cfg.Metrics.PathsChanged(-1)
	}
}

// joinInitiator makes c the path's initiator: a previous one is closed with
// 3004, c gets server-auth, then every responder gets new-initiator (§1.4–1.5).
func (p *path) joinInitiator(c *client, auth func([]saltyrtc.Address) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if old := p.initiator; old != nil {
		old.dropped.Store(true)
		old.closeWith(saltyrtc.CloseDroppedByInitiator)
	}
	p.initiator = c
	c.addr = saltyrtc.AddrInitiator
	ids := make([]saltyrtc.Address, 0, len(p.responders))
	for id := range p.responders {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if err := auth(ids); err != nil {
		return err
	}
	for _, id := range ids {
		p.responders[id].sendServer(saltyrtc.NewInitiator{})
	}
	return nil
}

// joinResponder gives c the lowest free responder address, tells the
// initiator with new-responder, then sends c its server-auth (§1.4–1.5).
func (p *path) joinResponder(c *client, auth func(initiatorConnected bool) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var addr saltyrtc.Address
	for a := int(saltyrtc.AddrFirstResponder); a <= int(saltyrtc.AddrLastResponder); a++ {
		if p.responders[saltyrtc.Address(a)] == nil {
			addr = saltyrtc.Address(a)
			break
		}
	}
	if addr == 0 {
		return fmt.Errorf("%w: no free responder address", saltyrtc.ErrPathFull)
	}
	p.responders[addr] = c
	c.addr = addr
	if p.initiator != nil {
		p.initiator.sendServer(saltyrtc.NewResponder{ID: addr})
	}
	return auth(p.initiator != nil)
}

// leave removes c and tells the other side with disconnected, unless c was
// dropped or replaced (§1.5).
func (p *path) leave(c *client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	notify := !c.dropped.Load()
	switch {
	case p.initiator == c:
		p.initiator = nil
		if notify {
			for _, r := range p.responders {
				r.sendServer(saltyrtc.Disconnected{ID: saltyrtc.AddrInitiator})
			}
		}
	case c.addr.IsResponder() && p.responders[c.addr] == c:
		delete(p.responders, c.addr)
		if notify && p.initiator != nil {
			p.initiator.sendServer(saltyrtc.Disconnected{ID: c.addr})
		}
	}
}

// drop executes the initiator's drop-responder: the responder is closed
// with reason and no disconnected is sent for it (§1.5).
func (p *path) drop(id saltyrtc.Address, reason saltyrtc.CloseCode) {
	p.mu.Lock()
	r := p.responders[id]
	if r != nil {
		delete(p.responders, id)
		r.dropped.Store(true)
	}
	p.mu.Unlock()
	if r != nil {
		r.closeWith(reason)
	}
}

// destination finds the client at addr on the path, or nil.
func (p *path) destination(addr saltyrtc.Address) *client {
	p.mu.Lock()
	defer p.mu.Unlock()
	if addr == saltyrtc.AddrInitiator {
		return p.initiator
	}
	return p.responders[addr]
}
