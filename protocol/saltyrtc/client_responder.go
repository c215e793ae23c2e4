package saltyrtc

import (
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// startInitiatorHandshake (responder) forgets any previous initiator and
// sends token (unless trusted) and key (§1.6).
func (c *Client) startInitiatorHandshake(out *Output) error {
	p, err := c.newPeer(AddrInitiator, timeZero)
	if err != nil {
		return err
	}
	p.permKey = c.cfg.InitiatorKey
	p.permShared = cryptobox.Precompute(p.permKey, c.cfg.PermanentKey.Secret)
	if p.session, err = c.sessionGen(); err != nil {
		return err
	}
	c.peers[AddrInitiator] = p
	if c.cfg.TrustedPeerKey.IsZero() {
		f, err := c.sealToPeer(p, Token{Key: c.cfg.PermanentKey.Public}, sealToken)
		if err != nil {
			return err
		}
		out.Frames = append(out.Frames, f)
	}
	f, err := c.sealToPeer(p, Key{Key: p.session.Public}, sealPermanent)
	if err != nil {
		return err
	}
	out.Frames = append(out.Frames, f)
	p.state = initKeySent
	return nil
}

// handleInitiatorFrame (responder) processes a frame from the initiator.
func (c *Client) handleInitiatorFrame(out *Output, p *peer, n Nonce, data []byte) error {
	if err := p.in.Check(n, p.out.Cookie()); err != nil {
		return fmt.Errorf("initiator: %w", err)
	}
	switch p.state {
	case initKeySent:
		k, err := openAs[Key](n, data, &p.permShared, "initiator key", "key")
		if err != nil {
			return err
		}
		if k.Key.Equal(p.permKey) {
			return fmt.Errorf("%w: initiator session key equals its permanent key", ErrInvalidKey)
		}
		p.peerSession = k.Key
		p.sessionShared = cryptobox.Precompute(k.Key, p.session.Secret)
		names := make([]string, 0, len(c.cfg.Tasks))
		for _, t := range c.cfg.Tasks {
			names = append(names, t.Name)
		}
		f, err := c.sealToPeer(p, Auth{YourCookie: p.in.Cookie(), Tasks: names, Data: c.ourTaskData()}, sealSession)
		if err != nil {
			return err
		}
		out.Frames = append(out.Frames, f)
		p.state = initAuthSent
		return nil
	case initAuthSent:
		plain, err := open(n, data, &p.sessionShared)
		if err != nil {
			return fmt.Errorf("initiator auth: %w", err)
		}
		msg, err := Decode(plain)
		if err != nil {
			return err
		}
		if cl, ok := msg.(Close); ok { // the initiator found no shared task
			out.Events = append(out.Events, EventPeerClosed(cl))
			return CloseCodeToError(cl.Reason)
		}
		a, ok := msg.(Auth)
		if !ok {
			return fmt.Errorf("%w: %s instead of auth", ErrUnexpectedMessage, msg.MessageType())
		}
		if err := checkAuthCookie(p, a); err != nil {
			return err
		}
		if a.Task == "" {
			return fmt.Errorf("%w: initiator's auth has no task", ErrMessage)
		}
		task := c.taskByName(a.Task)
		if task == nil {
			return fmt.Errorf("%w: initiator chose %q, which we did not offer", ErrNoSharedTask, a.Task)
		}
		td, ok := a.Data[a.Task]
		if !ok {
			return fmt.Errorf("%w: auth has no data for the chosen task", ErrMessage)
		}
		c.finishPeer(out, p, task, td)
		return nil
	case peerDone:
		return c.handleSessionMessage(out, p, n, data)
	}
	return fmt.Errorf("%w: initiator frame in state %d", ErrUnexpectedMessage, p.state)
}
