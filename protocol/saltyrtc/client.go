package saltyrtc

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Role is the client's role on a path (§1.1).
type Role uint8

// Roles of §1.1.
const (
	// RoleInitiator creates the path and the auth token.
	RoleInitiator Role = iota + 1
	// RoleResponder joins the path.
	RoleResponder
)

// String names the role.
func (r Role) String() string {
	switch r {
	case RoleInitiator:
		return "initiator"
	case RoleResponder:
		return "responder"
	}
	return "unknown role"
}

// Timing of the initiator (§1.6).
const (
	// RetryDelay is the least time the initiator waits after a failed handshake
	// attempt before it processes the next one (§1.6, against token brute force).
	RetryDelay = time.Second
	// maxResponders is when the initiator starts dropping the oldest
	// unauthenticated responder (§1.6 path cleaning; CJS drops above 252).
	maxResponders = 252
)

// TaskSpec describes a task to the state machine: its name, the data we send
// for it in `auth`, and the message types it handles after the handshake.
type TaskSpec struct {
	// Name is the task's protocol name, e.g. "v0.relayed-data.tasks.saltyrtc.org".
	Name string
	// Data is our task data (nil encodes as Nil).
	Data map[string]any
	// MessageTypes are the task's message types (§1.8, §1.9).
	MessageTypes []string
}

// ClientConfig configures a Client.
type ClientConfig struct {
	// Role is RoleInitiator or RoleResponder.
	Role Role
	// PermanentKey is our permanent key pair (§1.1).
	PermanentKey cryptobox.KeyPair
	// ServerKey is the pinned server permanent public key. When set it is sent
	// as your_key and signed_keys must match it (§1.4). Zero means not pinned.
	ServerKey cryptobox.PublicKey
	// InitiatorKey is the initiator's permanent public key (responder only; it is the path).
	InitiatorKey cryptobox.PublicKey
	// AuthToken is the one-time token (§1.1): created by the initiator, read from
	// the QR code by the responder. Nil when the peer is trusted.
	AuthToken *cryptobox.SymmetricKey
	// TrustedPeerKey is the peer's permanent key when already trusted: no token
	// is exchanged (§1.6). For a responder it must equal InitiatorKey. Zero means none.
	TrustedPeerKey cryptobox.PublicKey
	// Tasks are our tasks by preference (§1.6).
	Tasks []TaskSpec
	// PingInterval asks the server for WebSocket pings every so many seconds (§1.7).
	PingInterval uint32
	// Rand is the randomness for cookies, sequence numbers and session keys.
	Rand io.Reader
}

type serverState uint8

const (
	serverNew serverState = iota
	serverAuthSent
	serverDone
)

// server is our relation to the signalling server.
type server struct {
	state      serverState
	sessionKey cryptobox.PublicKey
	shared     cryptobox.SharedKey
	out        OutgoingCSN
	in         CSNTracker
}

// Client is the SaltyRTC client state machine for one WebSocket connection.
// It is not safe for concurrent use; its driver serialises calls.
type Client struct {
	cfg        ClientConfig
	addr       Address
	srv        server
	peers      map[Address]*peer // initiator: responders; responder: the initiator
	authed     *peer
	tokenUsed  bool
	lastFail   time.Time
	closed     bool
	task       *TaskSpec
	taskTypes  []string
	sessionGen func() (cryptobox.KeyPair, error)
}

// NewClient validates cfg and returns a client waiting for server-hello.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.Rand == nil {
		return nil, fmt.Errorf("%w: no Rand", ErrConfig)
	}
	if len(cfg.Tasks) == 0 {
		return nil, fmt.Errorf("%w: no task", ErrConfig)
	}
	for _, t := range cfg.Tasks {
		if t.Name == "" {
			return nil, fmt.Errorf("%w: task without name", ErrConfig)
		}
	}
	switch cfg.Role {
	case RoleInitiator:
		if cfg.AuthToken == nil && cfg.TrustedPeerKey.IsZero() {
			return nil, fmt.Errorf("%w: initiator needs an auth token or a trusted peer key", ErrConfig)
		}
	case RoleResponder:
		if cfg.InitiatorKey.IsZero() {
			return nil, fmt.Errorf("%w: responder needs the initiator key", ErrConfig)
		}
		if cfg.AuthToken == nil && cfg.TrustedPeerKey.IsZero() {
			return nil, fmt.Errorf("%w: responder needs an auth token or a trusted peer key", ErrConfig)
		}
		if !cfg.TrustedPeerKey.IsZero() && !cfg.TrustedPeerKey.Equal(cfg.InitiatorKey) {
			return nil, fmt.Errorf("%w: a responder's trusted key must be the initiator key", ErrConfig)
		}
	default:
		return nil, fmt.Errorf("%w: role %d", ErrConfig, cfg.Role)
	}
	out, err := NewOutgoingCSN(cfg.Rand, Cookie{})
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, srv: server{out: out}, peers: make(map[Address]*peer)}
	c.sessionGen = func() (cryptobox.KeyPair, error) { return cryptobox.GenerateKeyPair(cfg.Rand) }
	return c, nil
}

// Role is the client's role.
func (c *Client) Role() Role { return c.cfg.Role }

// Address is our address once the server handshake is done (0 before).
func (c *Client) Address() Address { return c.addr }

// ServerAuthenticated reports whether the server handshake is done.
func (c *Client) ServerAuthenticated() bool { return c.srv.state == serverDone }

// PeerAuthenticated reports whether the peer handshake is done.
func (c *Client) PeerAuthenticated() bool { return c.authed != nil }

// Handle processes one frame received from the WebSocket at time now. A
// non-nil error is fatal: the driver sends out.Frames, then closes the
// WebSocket with ErrorToCloseCode(err).
func (c *Client) Handle(now time.Time, frame []byte) (Output, error) {
	var out Output
	if c.closed {
		return out, ErrClosed
	}
	n, data, err := ParseFrame(frame)
	if err != nil {
		c.closed = true
		return out, err
	}
	if c.srv.state != serverDone || n.Source == AddrServer {
		err = c.handleServer(now, &out, n, data)
	} else {
		err = c.handlePeerFrame(now, &out, n, data, frame)
	}
	if err != nil {
		c.closed = true
	}
	c.setWakeup(now, &out)
	return out, err
}

// Tick runs deferred work that is due at now (the initiator's retry delay).
func (c *Client) Tick(now time.Time) (Output, error) {
	var out Output
	if c.closed || c.cfg.Role != RoleInitiator {
		return out, nil
	}
	if now.Before(c.lastFail.Add(RetryDelay)) {
		c.setWakeup(now, &out)
		return out, nil
	}
	for _, id := range c.sortedPeerIDs() {
		p := c.peers[id]
		if p == nil || len(p.deferred) == 0 {
			continue
		}
		frames := p.deferred
		p.deferred = nil
		for _, f := range frames {
			if c.peers[id] != p {
				break
			}
			n, data, err := ParseFrame(f)
			if err != nil {
				continue
			}
			if err := c.handleResponderFrame(now, &out, p, n, data); err != nil {
				c.closed = true
				return out, err
			}
			if now.Before(c.lastFail.Add(RetryDelay)) {
				break
			}
		}
	}
	c.setWakeup(now, &out)
	return out, nil
}

func (c *Client) setWakeup(now time.Time, out *Output) {
	if c.closed || c.cfg.Role != RoleInitiator {
		return
	}
	for _, p := range c.peers {
		if len(p.deferred) > 0 {
			w := c.lastFail.Add(RetryDelay)
			if !w.After(now) {
				w = now
			}
			out.Wakeup = w
			return
		}
	}
}

func (c *Client) sortedPeerIDs() []Address {
	ids := make([]Address, 0, len(c.peers))
	for id := range c.peers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// SendApplication builds an `application` message to the authenticated peer (§1.6).
func (c *Client) SendApplication(data any) ([]byte, error) {
	return c.sendSession(Application{Data: data})
}

// SendTaskMessage builds a message of the chosen task to the authenticated peer.
func (c *Client) SendTaskMessage(m TaskMessage) ([]byte, error) {
	if c.task == nil || !slices.Contains(c.task.MessageTypes, m.Type) {
		return nil, fmt.Errorf("%w: task message type %q", ErrState, m.Type)
	}
	return c.sendSession(m)
}

// SendClose builds a `close` message to the authenticated peer (§1.6); the
// driver then closes the WebSocket with 1001. The client is closed after it.
func (c *Client) SendClose(reason CloseCode) ([]byte, error) {
	f, err := c.sendSession(Close{Reason: reason})
	c.closed = true
	return f, err
}

func (c *Client) sendSession(m Message) ([]byte, error) {
	if c.closed {
		return nil, ErrClosed
	}
	if c.authed == nil {
		return nil, fmt.Errorf("%w: no authenticated peer", ErrState)
	}
	return c.sealToPeer(c.authed, m, sealSession)
}

// seal encodes m and appends nonce ‖ box to a new frame.
func seal(m Message, n Nonce, k *cryptobox.SharedKey) ([]byte, error) {
	plain, err := Encode(m)
	if err != nil {
		return nil, err
	}
	nb := n.Bytes()
	return k.Seal(nb[:], plain, &nb), nil
}

// open opens the box in data under the frame's nonce.
// decodeAs decodes a plain message and requires it to be a T (named what in
// the error).
func decodeAs[T Message](plain []byte, what string) (T, error) {
	var zero T
	msg, err := Decode(plain)
	if err != nil {
		return zero, err
	}
	t, ok := msg.(T)
	if !ok {
		return zero, fmt.Errorf("%w: %s instead of %s", ErrUnexpectedMessage, msg.MessageType(), what)
	}
	return t, nil
}

// openAs opens a boxed message under k and requires it to be a T; context
// prefixes a decryption error.
func openAs[T Message](n Nonce, data []byte, k *cryptobox.SharedKey, context, what string) (T, error) {
	plain, err := open(n, data, k)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", context, err)
	}
	return decodeAs[T](plain, what)
}

func open(n Nonce, data []byte, k *cryptobox.SharedKey) ([]byte, error) {
	nb := n.Bytes()
	p, err := k.Open(nil, data, &nb)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecrypt, err)
	}
	return p, nil
}
