package signaling

import (
	"fmt"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// relayLoop handles an authenticated client's frames: messages to the server
// (drop-responder) and client↔client frames, relayed unchanged (§1.3, §1.5).
func (c *client) relayLoop() error {
	for {
		b, err := c.read()
		if err != nil {
			return err
		}
		c.extendDeadline()
		n, data, err := saltyrtc.ParseFrame(b)
		if err != nil {
			return err
		}
		if n.Source != c.addr {
			return fmt.Errorf("%w: source %d, assigned %d", saltyrtc.ErrAddress, n.Source, c.addr)
		}
		if n.Destination == saltyrtc.AddrServer {
			if err := c.handleServerMessage(n, data); err != nil {
				return err
			}
			continue
		}
		if c.role == saltyrtc.RoleInitiator && !n.Destination.IsResponder() ||
			c.role == saltyrtc.RoleResponder && n.Destination != saltyrtc.AddrInitiator {
			return fmt.Errorf("%w: %s may not send to %d", saltyrtc.ErrAddress, c.role, n.Destination)
		}
		dst := c.path.destination(n.Destination)
		if dst == nil || dst.writeFrame(b) != nil {
			var se saltyrtc.SendError
			copy(se.ID[:], b[16:24])
			c.sendServer(se)
			continue
		}
		c.s.cfg.Metrics.MessageRelayed()
	}
}

// handleServerMessage handles a message to the server after authentication:
// only the initiator's drop-responder is allowed (§1.5).
func (c *client) handleServerMessage(n saltyrtc.Nonce, data []byte) error {
	if err := c.in.Check(n, c.cookie()); err != nil {
		return err
	}
	c.wmu.Lock()
	k := c.shared
	c.wmu.Unlock()
	nb := n.Bytes()
	plain, err := k.Open(nil, data, &nb)
	if err != nil {
		return fmt.Errorf("%w: %w", saltyrtc.ErrDecrypt, err)
	}
	msg, err := saltyrtc.Decode(plain)
	if err != nil {
		return err
	}
	dr, ok := msg.(saltyrtc.DropResponder)
	if !ok || c.role != saltyrtc.RoleInitiator {
		return fmt.Errorf("%w: %s from the %s", saltyrtc.ErrUnexpectedMessage, msg.MessageType(), c.role)
	}
	reason := dr.Reason
	if reason == 0 {
		reason = saltyrtc.CloseDroppedByInitiator
	}
	c.log.Debug("drop-responder", "id", int(dr.ID), "reason", uint16(reason))
	c.path.drop(dr.ID, reason)
	return nil
}

// startPings arms the keepalive at the client's ping_interval (§1.7): a
// WebSocket ping every interval; a pong (or any frame) must arrive within
// interval + PingTimeout, or the reader times out and closes with 3008.
func (c *client) startPings() {
	if c.ping == 0 {
		return
	}
	c.ws.SetPongHandler(func(string) error { c.extendDeadline(); return nil })
	c.extendDeadline()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.timer = time.AfterFunc(c.ping, c.sendPing)
}

func (c *client) sendPing() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closing || c.timer == nil {
		return
	}
	if err := c.ws.WriteControl(websocket.PingMessage, nil, c.s.now().Add(c.s.cfg.Limits.WriteTimeout)); err != nil {
		return
	}
	c.timer.Reset(c.ping)
}

func (c *client) stopPings() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

func (c *client) extendDeadline() {
	if c.ping == 0 {
		return
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closing { // keep the close deadline
		return
	}
	_ = c.ws.SetReadDeadline(c.s.now().Add(c.ping + c.s.cfg.Limits.PingTimeout))
}
