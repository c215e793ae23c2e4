package signaling

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// closeDrainTime is how long a closing connection waits for the client's
// close frame, so the close code is not lost to a TCP reset.
const closeDrainTime = time.Second

// client is one WebSocket connection. Its reader goroutine (run) owns the
// handshake state; writes from any goroutine go through wmu.
type client struct {
	s       *Server
	ws      *websocket.Conn
	log     *slog.Logger
	pathKey cryptobox.PublicKey
	path    *path
	addr    saltyrtc.Address // set under path.mu at join
	dropped atomic.Bool      // closed by drop-responder or replacement: no disconnected

	// Reader-owned.
	in      saltyrtc.CSNTracker
	role    saltyrtc.Role
	permKey cryptobox.PublicKey
	session cryptobox.KeyPair
	ping    time.Duration

	wmu     sync.Mutex // guards the fields below and every write
	out     saltyrtc.OutgoingCSN
	shared  cryptobox.SharedKey
	closing bool
	timer   *time.Timer // keepalive pings
}

// run is the connection's reader loop: handshake, then relay.
func (c *client) run() {
	c.ws.SetReadLimit(c.s.cfg.Limits.MaxMessageSize)
	_ = c.ws.SetReadDeadline(c.s.now().Add(c.s.cfg.Limits.HandshakeTimeout))
	err := c.handshake()
	if err == nil {
		c.log.Debug("client authenticated", "role", c.role.String(), "addr", int(c.addr))
		err = c.relayLoop()
	}
	c.fail(err)
	c.stopPings()
	if c.path != nil {
		if c.addr != 0 {
			c.path.leave(c)
		}
		c.s.releasePath(c.path)
	}
	c.drain()
	_ = c.ws.Close()
}

// read returns the next binary frame.
func (c *client) read() ([]byte, error) {
	mt, b, err := c.ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	c.wmu.Lock()
	closing := c.closing
	c.wmu.Unlock()
	if closing {
		return nil, net.ErrClosed // dropped or replaced: relay nothing more
	}
	if mt != websocket.BinaryMessage {
		return nil, fmt.Errorf("%w: text message", saltyrtc.ErrProtocol)
	}
	return b, nil
}

// readServerFrame reads a frame addressed to the server from the unassigned
// address (before server-auth) and checks its CSN and cookie.
func (c *client) readServerFrame() (saltyrtc.Nonce, []byte, error) {
	b, err := c.read()
	if err != nil {
		return saltyrtc.Nonce{}, nil, err
	}
	n, data, err := saltyrtc.ParseFrame(b)
	if err != nil {
		return n, nil, err
	}
	if n.Source != saltyrtc.AddrServer || n.Destination != saltyrtc.AddrServer {
		return n, nil, fmt.Errorf("%w: %d→%d before authentication", saltyrtc.ErrAddress, n.Source, n.Destination)
	}
	if err := c.in.Check(n, c.cookie()); err != nil {
		return n, nil, err
	}
	return n, data, nil
}

func (c *client) cookie() saltyrtc.Cookie {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.out.Cookie()
}

// handshake runs §1.4 up to server-auth.
func (c *client) handshake() error {
	var err error
	if c.session, err = cryptobox.GenerateKeyPair(c.s.cfg.Rand); err != nil {
		return fmt.Errorf("%w: %w", saltyrtc.ErrInternal, err)
	}
	out, err := saltyrtc.NewOutgoingCSN(c.s.cfg.Rand, saltyrtc.Cookie{})
	if err != nil {
		return fmt.Errorf("%w: %w", saltyrtc.ErrInternal, err)
	}
	hello, err := saltyrtc.Encode(saltyrtc.ServerHello{Key: c.session.Public})
	if err != nil {
		return err
	}
	c.wmu.Lock()
	c.out = out
	n, err := c.out.Next(saltyrtc.AddrServer, saltyrtc.AddrServer)
	if err == nil {
		err = c.writeLocked(saltyrtc.AppendFrame(nil, n, hello))
	}
	c.wmu.Unlock()
	if err != nil {
		return err
	}

	n, data, err := c.readServerFrame()
	if err != nil {
		return err
	}
	var auth saltyrtc.ClientAuth
	if msg, derr := saltyrtc.Decode(data); derr == nil {
		ch, ok := msg.(saltyrtc.ClientHello)
		if !ok {
			return fmt.Errorf("%w: %s as first message", saltyrtc.ErrUnexpectedMessage, msg.MessageType())
		}
		c.role, c.permKey = saltyrtc.RoleResponder, ch.Key
		c.setShared()
		if n, data, err = c.readServerFrame(); err != nil {
			return err
		}
		if auth, err = c.openClientAuth(n, data); err != nil {
			return err
		}
	} else {
		c.role, c.permKey = saltyrtc.RoleInitiator, c.pathKey
		c.setShared()
		if auth, err = c.openClientAuth(n, data); err != nil {
			return err
		}
	}
	c.log = c.log.With("role", c.role.String())
	if !auth.YourCookie.Equal(c.cookie()) {
		return fmt.Errorf("%w: client-auth repeats a wrong cookie", saltyrtc.ErrCookie)
	}
	if !slices.Contains(auth.Subprotocols, saltyrtc.Subprotocol) {
		return fmt.Errorf("%w: client-auth lacks %s", saltyrtc.ErrProtocol, saltyrtc.Subprotocol)
	}
	keyIdx := -1
	if auth.YourKey != nil {
		for i, k := range c.s.cfg.Keys {
			if k.Public.Equal(*auth.YourKey) {
				keyIdx = i
			}
		}
		if keyIdx < 0 {
			return fmt.Errorf("%w: your_key is not a key of this server", saltyrtc.ErrInvalidKey)
		}
	} else if len(c.s.cfg.Keys) > 0 {
		keyIdx = 0
	}
	if auth.PingInterval > 0 {
		c.ping = max(time.Duration(auth.PingInterval)*time.Second, minPingInterval)
	}

	if c.path, err = c.s.reservePath(c.pathKey); err != nil {
		return err
	}
	if c.role == saltyrtc.RoleInitiator {
		err = c.path.joinInitiator(c, func(ids []saltyrtc.Address) error {
			return c.sendServerAuth(keyIdx, saltyrtc.ServerAuth{Responders: ids})
		})
	} else {
		err = c.path.joinResponder(c, func(connected bool) error {
			return c.sendServerAuth(keyIdx, saltyrtc.ServerAuth{InitiatorConnected: &connected})
		})
	}
	if err != nil {
		return err
	}
	c.clearHandshakeDeadline()
	c.startPings()
	return nil
}

// clearHandshakeDeadline lifts the handshake's read deadline, unless the
// connection is already closing: a shutdown may have set the close deadline
// between the server-auth and here, and lifting it would leave the reader
// waiting for a client that never answers.
func (c *client) clearHandshakeDeadline() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !c.closing {
		_ = c.ws.SetReadDeadline(time.Time{})
	}
}

func (c *client) setShared() {
	c.wmu.Lock()
	c.shared = cryptobox.Precompute(c.permKey, c.session.Secret)
	c.wmu.Unlock()
}

func (c *client) openClientAuth(n saltyrtc.Nonce, data []byte) (saltyrtc.ClientAuth, error) {
	c.wmu.Lock()
	k := c.shared
	c.wmu.Unlock()
	nb := n.Bytes()
	plain, err := k.Open(nil, data, &nb)
	if err != nil {
		return saltyrtc.ClientAuth{}, fmt.Errorf("client-auth: %w: %w", saltyrtc.ErrDecrypt, err)
	}
	msg, err := saltyrtc.Decode(plain)
	if err != nil {
		return saltyrtc.ClientAuth{}, err
	}
	ca, ok := msg.(saltyrtc.ClientAuth)
	if !ok {
		return ca, fmt.Errorf("%w: %s instead of client-auth", saltyrtc.ErrUnexpectedMessage, msg.MessageType())
	}
	return ca, nil
}

// sendServerAuth completes the handshake; signed_keys is Box(session pk ‖
// client permanent pk) under the selected server permanent key and the same
// nonce as the message (§1.4).
func (c *client) sendServerAuth(keyIdx int, sa saltyrtc.ServerAuth) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	sa.YourCookie = c.in.Cookie()
	n, err := c.out.Next(saltyrtc.AddrServer, c.addr)
	if err != nil {
		return err
	}
	if keyIdx >= 0 {
		nb := n.Bytes()
		sk := cryptobox.Precompute(c.permKey, c.s.cfg.Keys[keyIdx].Secret)
		plain := append(append(make([]byte, 0, 64), c.session.Public[:]...), c.permKey[:]...)
		sa.SignedKeys = sk.Seal(nil, plain, &nb)
	}
	plain, err := saltyrtc.Encode(sa)
	if err != nil {
		return err
	}
	nb := n.Bytes()
	return c.writeLocked(c.shared.Seal(nb[:], plain, &nb))
}

// sendServer sends a server message to an authenticated client. Failures
// close the connection; its reader cleans up.
func (c *client) sendServer(m saltyrtc.Message) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closing {
		return
	}
	plain, err := saltyrtc.Encode(m)
	if err != nil {
		c.log.Error("encode server message", "type", m.MessageType(), "err", err)
		return
	}
	n, err := c.out.Next(saltyrtc.AddrServer, c.addr)
	if err != nil {
		return
	}
	nb := n.Bytes()
	_ = c.writeLocked(c.shared.Seal(nb[:], plain, &nb))
}

// writeFrame relays a frame unchanged.
func (c *client) writeFrame(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closing {
		return net.ErrClosed
	}
	return c.writeLocked(b)
}

func (c *client) writeLocked(b []byte) error {
	_ = c.ws.SetWriteDeadline(c.s.now().Add(c.s.cfg.Limits.WriteTimeout))
	if err := c.ws.WriteMessage(websocket.BinaryMessage, b); err != nil {
		c.closing = true
		_ = c.ws.NetConn().Close() // the reader sees the error and cleans up
		return fmt.Errorf("signaling: write: %w", err)
	}
	return nil
}

// closeWith sends a close frame with code (once) and gives the reader
// closeDrainTime to see the client's answer.
func (c *client) closeWith(code saltyrtc.CloseCode) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closing {
		return
	}
	c.closing = true
	deadline := c.s.now().Add(closeDrainTime)
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(int(code), ""), deadline)
	_ = c.ws.SetReadDeadline(deadline)
}

// fail closes the connection for err with the matching close code.
func (c *client) fail(err error) {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case err == nil:
		c.closeWith(saltyrtc.CloseNormal)
	case errors.As(err, &ce):
		c.log.Debug("client closed", "code", ce.Code)
		c.closeWith(saltyrtc.CloseNormal)
	case errors.Is(err, websocket.ErrReadLimit):
		c.log.Info("message too large")
		c.closeWith(websocket.CloseMessageTooBig)
	case errors.As(err, &ne) && ne.Timeout():
		c.log.Info("client timed out")
		c.closeWith(saltyrtc.CloseTimeout)
	case errors.Is(err, net.ErrClosed):
		c.closeWith(saltyrtc.CloseGoingAway)
	default:
		code := saltyrtc.ErrorToCloseCode(err)
		if code == saltyrtc.CloseProtocolError {
			c.s.cfg.Metrics.ProtocolError()
		}
		c.log.Info("closing client", "code", uint16(code), "reason", err.Error())
		c.closeWith(code)
	}
}

// drain reads until the client answers the close frame or the deadline passes.
func (c *client) drain() {
	for {
		if _, _, err := c.ws.NextReader(); err != nil {
			return
		}
	}
}
