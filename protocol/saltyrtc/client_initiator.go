package saltyrtc

import (
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// timeZero is the join time of peers whose join time does not matter.
var timeZero time.Time

// addResponder (initiator) registers a responder announced by the server.
// With an authenticated peer, any other responder is dropped at once (§1.6).
func (c *Client) addResponder(now time.Time, out *Output, id Address) error {
	p, err := c.newPeer(id, now)
	if err != nil {
		return err
	}
	if !c.cfg.TrustedPeerKey.IsZero() {
		p.permKey = c.cfg.TrustedPeerKey
		p.permShared = cryptobox.Precompute(p.permKey, c.cfg.PermanentKey.Secret)
	}
	c.peers[id] = p
	if c.authed != nil {
		return c.dropResponder(timeZero, out, p, CloseDroppedByInitiator)
	}
	if len(c.peers) > maxResponders {
		var oldest *peer
		for _, q := range c.peers {
			if q != c.authed && (oldest == nil || q.joined.Before(oldest.joined)) {
				oldest = q
			}
		}
		return c.dropResponder(timeZero, out, oldest, CloseDroppedByInitiator)
	}
	return nil
}

// dropResponder (initiator) forgets a responder and asks the server to close it.
// A non-zero now records a failed attempt, which starts the retry delay.
func (c *Client) dropResponder(now time.Time, out *Output, p *peer, reason CloseCode) error {
	delete(c.peers, p.addr)
	if !now.IsZero() {
		c.lastFail = now
	}
	nn, err := c.srv.out.Next(c.addr, AddrServer)
	if err != nil {
		return err
	}
	f, err := seal(DropResponder{ID: p.addr, Reason: reason}, nn, &c.srv.shared)
	if err != nil {
		return err
	}
	out.Frames = append(out.Frames, f)
	out.Events = append(out.Events, EventResponderDropped{ID: p.addr, Reason: reason})
	return nil
}

// handleResponderFrame (initiator) processes a frame from a responder. Failures
// of a responder that is not yet authenticated drop it (3005 if its first
// message did not open, 3001 otherwise) and keep our connection.
func (c *Client) handleResponderFrame(now time.Time, out *Output, p *peer, n Nonce, data []byte) error {
	if err := p.in.Check(n, p.out.Cookie()); err != nil {
		if p.state == peerDone {
			return fmt.Errorf("responder: %w", err)
		}
		return c.dropResponder(now, out, p, CloseProtocolError)
	}
	if p.state == peerDone {
		return c.handleSessionMessage(out, p, n, data)
	}
	first := p.state == respNew
	err := c.responderHandshake(out, p, n, data)
	if err == nil {
		if p.state == peerDone {
			for _, q := range c.peers {
				if q != p {
					if err := c.dropResponder(timeZero, out, q, CloseDroppedByInitiator); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	reason := ErrorToCloseCode(err)
	switch {
	case first && errors.Is(err, ErrDecrypt):
		reason = CloseInitiatorCouldNotDecrypt
	case errors.Is(err, ErrNoSharedTask):
		// §1.6: tell the responder with `close` 3006 (it closes its connection)
		// and forget it; 3006 is no valid drop-responder reason.
		if f, serr := c.sealToPeer(p, Close{Reason: CloseNoSharedTask}, sealSession); serr == nil {
			out.Frames = append(out.Frames, f)
		}
		delete(c.peers, p.addr)
		c.lastFail = now
		return nil
	case !ValidDropReason(reason):
		reason = CloseProtocolError
	}
	return c.dropResponder(now, out, p, reason)
}

// responderHandshake runs one step of the initiator's side of the peer handshake.
func (c *Client) responderHandshake(out *Output, p *peer, n Nonce, data []byte) error {
	switch p.state {
	case respNew:
		if !c.cfg.TrustedPeerKey.IsZero() {
			p.state = respTokenReceived
			return c.responderKey(out, p, n, data)
		}
		if c.tokenUsed {
			return fmt.Errorf("%w: the auth token was already used", ErrDecrypt)
		}
		nb := n.Bytes()
		plain, err := c.cfg.AuthToken.Open(nil, data, &nb)
		if err != nil {
			return fmt.Errorf("token: %w: %w", ErrDecrypt, err)
		}
		c.tokenUsed = true // §1.1: valid for one successfully decrypted message
		t, err := decodeAs[Token](plain, "token")
		if err != nil {
			return err
		}
		p.permKey = t.Key
		p.permShared = cryptobox.Precompute(t.Key, c.cfg.PermanentKey.Secret)
		p.state = respTokenReceived
		return nil
	case respTokenReceived:
		return c.responderKey(out, p, n, data)
	case respKeySent:
		a, err := openAs[Auth](n, data, &p.sessionShared, "responder auth", "auth")
		if err != nil {
			return err
		}
		if err := checkAuthCookie(p, a); err != nil {
			return err
		}
		if len(a.Tasks) == 0 {
			return fmt.Errorf("%w: responder's auth has no tasks", ErrMessage)
		}
		var task *TaskSpec
		for i := range c.cfg.Tasks { // §1.6: the first of *our* tasks the responder offers
			for _, name := range a.Tasks {
				if c.cfg.Tasks[i].Name == name {
					task = &c.cfg.Tasks[i]
					break
				}
			}
			if task != nil {
				break
			}
		}
		if task == nil {
			return fmt.Errorf("%w: responder offered %d tasks, none ours", ErrNoSharedTask, len(a.Tasks))
		}
		td, ok := a.Data[task.Name]
		if !ok {
			return fmt.Errorf("%w: auth has no data for the chosen task", ErrMessage)
		}
		f, err := c.sealToPeer(p, Auth{YourCookie: p.in.Cookie(), Task: task.Name,
			Data: map[string]map[string]any{task.Name: task.Data}}, sealSession)
		if err != nil {
			return err
		}
		out.Frames = append(out.Frames, f)
		c.finishPeer(out, p, task, td)
		return nil
	}
	return fmt.Errorf("%w: responder frame in state %d", ErrUnexpectedMessage, p.state)
}

// responderKey handles the responder's `key` and answers with ours (§1.6).
func (c *Client) responderKey(out *Output, p *peer, n Nonce, data []byte) error {
	k, err := openAs[Key](n, data, &p.permShared, "responder key", "key")
	if err != nil {
		return err
	}
	if k.Key.Equal(p.permKey) {
		return fmt.Errorf("%w: responder session key equals its permanent key", ErrInvalidKey)
	}
	if p.session, err = c.sessionGen(); err != nil {
		return err
	}
	p.peerSession = k.Key
	p.sessionShared = cryptobox.Precompute(k.Key, p.session.Secret)
	f, err := c.sealToPeer(p, Key{Key: p.session.Public}, sealPermanent)
	if err != nil {
		return err
	}
	out.Frames = append(out.Frames, f)
	p.state = respKeySent
	return nil
}
