package saltyrtc

import (
	"fmt"
	"slices"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

type peerState uint8

const (
	// Initiator's view of a responder.
	respNew           peerState = iota // waiting for token (or key when trusted)
	respTokenReceived                  // waiting for key
	respKeySent                        // waiting for auth
	// Responder's view of the initiator.
	initKeySent  // token and key sent, waiting for key
	initAuthSent // auth sent, waiting for auth
	// Both.
	peerDone // authenticated
)

// sealMode selects the encryption of a peer message (§1.6).
type sealMode uint8

const (
	sealToken     sealMode = iota // Secretbox with the auth token
	sealPermanent                 // Box between the permanent keys
	sealSession                   // Box between the session keys
)

// peer is our relation to one peer: the initiator, or one responder.
type peer struct {
	addr          Address
	state         peerState
	out           OutgoingCSN
	in            CSNTracker
	permKey       cryptobox.PublicKey
	permShared    cryptobox.SharedKey
	session       cryptobox.KeyPair // ours
	peerSession   cryptobox.PublicKey
	sessionShared cryptobox.SharedKey
	joined        time.Time
	deferred      [][]byte
}

func (c *Client) newPeer(addr Address, now time.Time) (*peer, error) {
	out, err := NewOutgoingCSN(c.cfg.Rand, Cookie{})
	if err != nil {
		return nil, err
	}
	return &peer{addr: addr, out: out, joined: now}, nil
}

func (c *Client) sealToPeer(p *peer, m Message, mode sealMode) ([]byte, error) {
	n, err := p.out.Next(c.addr, p.addr)
	if err != nil {
		return nil, err
	}
	switch mode {
	case sealToken:
		plain, err := Encode(m)
		if err != nil {
			return nil, err
		}
		nb := n.Bytes()
		return c.cfg.AuthToken.Seal(nb[:], plain, &nb), nil
	case sealPermanent:
		return seal(m, n, &p.permShared)
	default:
		return seal(m, n, &p.sessionShared)
	}
}

// handlePeerFrame routes a frame from a peer address after the server handshake.
func (c *Client) handlePeerFrame(now time.Time, out *Output, n Nonce, data, frame []byte) error {
	if n.Destination != c.addr {
		return fmt.Errorf("%w: frame for %d", ErrAddress, n.Destination)
	}
	if c.cfg.Role == RoleResponder {
		if n.Source != AddrInitiator {
			return fmt.Errorf("%w: responder got a frame from %d", ErrAddress, n.Source)
		}
		p := c.peers[AddrInitiator]
		if p == nil {
			return fmt.Errorf("%w: frame from an initiator we were not told about", ErrUnexpectedMessage)
		}
		return c.handleInitiatorFrame(out, p, n, data)
	}
	if !n.Source.IsResponder() {
		return fmt.Errorf("%w: initiator got a frame from %d", ErrAddress, n.Source)
	}
	p := c.peers[n.Source]
	if p == nil {
		return nil // a responder we dropped or never heard of: ignore, as CJS does
	}
	if p.state == respNew && (len(p.deferred) > 0 || now.Before(c.lastFail.Add(RetryDelay))) {
		if len(p.deferred) >= 8 {
			return c.dropResponder(now, out, p, CloseProtocolError)
		}
		p.deferred = append(p.deferred, append([]byte(nil), frame...))
		return nil
	}
	return c.handleResponderFrame(now, out, p, n, data)
}

// handleSessionMessage opens and dispatches a session-boxed message after the peer handshake.
func (c *Client) handleSessionMessage(out *Output, p *peer, n Nonce, data []byte) error {
	plain, err := open(n, data, &p.sessionShared)
	if err != nil {
		return err
	}
	msg, err := Decode(plain, c.taskTypes...)
	if err != nil {
		return err
	}
	switch m := msg.(type) {
	case Close:
		out.Events = append(out.Events, EventPeerClosed(m))
		out.Close = CloseGoingAway
		c.closed = true
	case Application:
		out.Events = append(out.Events, EventApplication(m))
	case TaskMessage:
		out.Events = append(out.Events, EventTaskMessage{Message: m})
	default:
		return fmt.Errorf("%w: %s after the peer handshake", ErrUnexpectedMessage, msg.MessageType())
	}
	return nil
}

// checkAuthCookie validates the your_cookie of an auth message.
func checkAuthCookie(p *peer, a Auth) error {
	if !a.YourCookie.Equal(p.out.Cookie()) {
		return fmt.Errorf("%w: auth repeats a wrong cookie", ErrCookie)
	}
	return nil
}

// taskByName finds one of our tasks.
func (c *Client) taskByName(name string) *TaskSpec {
	for i := range c.cfg.Tasks {
		if c.cfg.Tasks[i].Name == name {
			return &c.cfg.Tasks[i]
		}
	}
	return nil
}

func (c *Client) ourTaskData() map[string]map[string]any {
	d := make(map[string]map[string]any, len(c.cfg.Tasks))
	for _, t := range c.cfg.Tasks {
		d[t.Name] = t.Data
	}
	return d
}

func (c *Client) finishPeer(out *Output, p *peer, task *TaskSpec, data map[string]any) {
	p.state = peerDone
	c.authed = p
	c.task = task
	c.taskTypes = slices.Clone(task.MessageTypes)
	out.Events = append(out.Events, EventPeerAuthenticated{Peer: p.addr, PeerKey: p.permKey, Task: task.Name, TaskData: data})
}

// PeerSession is the state a task needs after the peer handshake: the
// session keys, the cookies and the sequence numbers of the WebSocket
// relation (the WebRTC task derives its secure data channels from them, §1.8).
type PeerSession struct {
	// Peer is the peer's address.
	Peer Address
	// PeerPermanentKey is the peer's permanent public key.
	PeerPermanentKey cryptobox.PublicKey
	// PeerSessionKey is the peer's session public key.
	PeerSessionKey cryptobox.PublicKey
	// SessionKey is our session key pair.
	SessionKey cryptobox.KeyPair
	// Shared is the precomputed Box key between the session keys.
	Shared cryptobox.SharedKey
	// OurCookie and PeerCookie are the cookies of the two directions.
	OurCookie, PeerCookie Cookie
	// NextOutgoingCSN is the CSN of our next message; LastIncomingCSN the peer's last.
	NextOutgoingCSN, LastIncomingCSN uint64
	// Task is the chosen task.
	Task string
}

// PeerSession returns the authenticated peer's session state.
func (c *Client) PeerSession() (PeerSession, error) {
	p := c.authed
	if p == nil {
		return PeerSession{}, fmt.Errorf("%w: no authenticated peer", ErrState)
	}
	return PeerSession{
		Peer: p.addr, PeerPermanentKey: p.permKey, PeerSessionKey: p.peerSession,
		SessionKey: p.session, Shared: p.sessionShared,
		OurCookie: p.out.Cookie(), PeerCookie: p.in.Cookie(),
		NextOutgoingCSN: p.out.Peek(), LastIncomingCSN: p.in.Last(), Task: c.task.Name,
	}, nil
}
