package saltyrtc

import (
	"bytes"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// handleServer processes a frame from the server (§1.4, §1.5).
func (c *Client) handleServer(now time.Time, out *Output, n Nonce, data []byte) error {
	if n.Source != AddrServer {
		return fmt.Errorf("%w: source %d during the server handshake", ErrAddress, n.Source)
	}
	switch c.srv.state {
	case serverNew:
		if n.Destination != AddrServer {
			return fmt.Errorf("%w: server-hello to %d", ErrAddress, n.Destination)
		}
	case serverAuthSent:
		if c.cfg.Role == RoleInitiator && n.Destination != AddrInitiator ||
			c.cfg.Role == RoleResponder && !n.Destination.IsResponder() {
			return fmt.Errorf("%w: server-auth assigns %d to the %s", ErrAddress, n.Destination, c.cfg.Role)
		}
	case serverDone:
		if n.Destination != c.addr {
			return fmt.Errorf("%w: server message to %d", ErrAddress, n.Destination)
		}
	}
	if err := c.srv.in.Check(n, c.srv.out.Cookie()); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if c.srv.state == serverNew {
		return c.handleServerHello(out, data)
	}
	plain, err := open(n, data, &c.srv.shared)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	msg, err := Decode(plain)
	if err != nil {
		return err
	}
	if c.srv.state == serverAuthSent {
		sa, ok := msg.(ServerAuth)
		if !ok {
			return fmt.Errorf("%w: %s instead of server-auth", ErrUnexpectedMessage, msg.MessageType())
		}
		return c.handleServerAuth(now, out, n, sa)
	}
	return c.handleServerMessage(now, out, msg)
}

func (c *Client) handleServerHello(out *Output, data []byte) error {
	sh, err := decodeAs[ServerHello](data, "server-hello")
	if err != nil {
		return err
	}
	if !c.cfg.ServerKey.IsZero() && sh.Key.Equal(c.cfg.ServerKey) {
		return fmt.Errorf("%w: server session key equals its permanent key", ErrInvalidKey)
	}
	c.srv.sessionKey = sh.Key
	c.srv.shared = cryptobox.Precompute(sh.Key, c.cfg.PermanentKey.Secret)
	if c.cfg.Role == RoleResponder {
		hello, err := Encode(ClientHello{Key: c.cfg.PermanentKey.Public})
		if err != nil {
			return err
		}
		nn, err := c.srv.out.Next(AddrServer, AddrServer)
		if err != nil {
			return err
		}
		out.Frames = append(out.Frames, AppendFrame(nil, nn, hello))
	}
	auth := ClientAuth{YourCookie: c.srv.in.Cookie(), Subprotocols: []string{Subprotocol}, PingInterval: c.cfg.PingInterval}
	if !c.cfg.ServerKey.IsZero() {
		k := c.cfg.ServerKey
		auth.YourKey = &k
	}
	nn, err := c.srv.out.Next(AddrServer, AddrServer)
	if err != nil {
		return err
	}
	f, err := seal(auth, nn, &c.srv.shared)
	if err != nil {
		return err
	}
	out.Frames = append(out.Frames, f)
	c.srv.state = serverAuthSent
	return nil
}

func (c *Client) handleServerAuth(now time.Time, out *Output, n Nonce, sa ServerAuth) error {
	if !sa.YourCookie.Equal(c.srv.out.Cookie()) {
		return fmt.Errorf("%w: server-auth repeats a wrong cookie", ErrCookie)
	}
	if !c.cfg.ServerKey.IsZero() {
		if sa.SignedKeys == nil {
			return fmt.Errorf("%w: absent", ErrSignedKeys)
		}
		k := cryptobox.Precompute(c.cfg.ServerKey, c.cfg.PermanentKey.Secret)
		plain, err := open(n, sa.SignedKeys, &k)
		if err != nil {
			return fmt.Errorf("%w: does not open with the pinned server key", ErrSignedKeys)
		}
		want := append(append([]byte{}, c.srv.sessionKey[:]...), c.cfg.PermanentKey.Public[:]...)
		if !bytes.Equal(plain, want) {
			return fmt.Errorf("%w: keys differ", ErrSignedKeys)
		}
	}
	ev := EventServerAuthenticated{Address: n.Destination}
	switch c.cfg.Role {
	case RoleInitiator:
		if sa.Responders == nil {
			return fmt.Errorf("%w: server-auth without responders", ErrMessage)
		}
		ev.Responders = sa.Responders
	case RoleResponder:
		if sa.InitiatorConnected == nil {
			return fmt.Errorf("%w: server-auth without initiator_connected", ErrMessage)
		}
		ev.InitiatorConnected = *sa.InitiatorConnected
	}
	c.addr = n.Destination
	c.srv.state = serverDone
	out.Events = append(out.Events, ev)
	if c.cfg.Role == RoleInitiator {
		for _, id := range sa.Responders {
			if err := c.addResponder(now, out, id); err != nil {
				return err
			}
		}
		return nil
	}
	if ev.InitiatorConnected {
		return c.startInitiatorHandshake(out)
	}
	return nil
}

// handleServerMessage handles a server notification after the handshake (§1.5).
func (c *Client) handleServerMessage(now time.Time, out *Output, msg Message) error {
	switch m := msg.(type) {
	case NewResponder:
		if c.cfg.Role != RoleInitiator {
			break
		}
		out.Events = append(out.Events, EventNewResponder(m))
		return c.addResponder(now, out, m.ID)
	case NewInitiator:
		if c.cfg.Role != RoleResponder {
			break
		}
		out.Events = append(out.Events, EventNewInitiator{})
		c.authed, c.task, c.taskTypes = nil, nil, nil
		return c.startInitiatorHandshake(out)
	case Disconnected:
		if c.cfg.Role == RoleInitiator && !m.ID.IsResponder() || c.cfg.Role == RoleResponder && m.ID != AddrInitiator {
			return fmt.Errorf("%w: disconnected for %d", ErrAddress, m.ID)
		}
		p := c.peers[m.ID]
		delete(c.peers, m.ID)
		if p != nil && p == c.authed {
			c.authed = nil
		}
		out.Events = append(out.Events, EventDisconnected(m))
		return nil
	case SendError:
		if Address(m.ID[0]) != c.addr {
			return fmt.Errorf("%w: send-error for a message we did not send", ErrProtocol)
		}
		dst := Address(m.ID[1])
		isPeer := c.authed != nil && c.authed.addr == dst
		if p := c.peers[dst]; p != nil && p != c.authed {
			delete(c.peers, dst)
		}
		out.Events = append(out.Events, EventSendError{ID: m.ID, Peer: isPeer})
		return nil
	}
	return fmt.Errorf("%w: %s from the server to the %s", ErrUnexpectedMessage, msg.MessageType(), c.cfg.Role)
}
