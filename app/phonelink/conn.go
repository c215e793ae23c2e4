package phonelink

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
	"github.com/kurier/kurier/rtclink"
)

// ChannelLabel is the data channel the Threema Web protocol runs on (§2.1).
const ChannelLabel = "THREEMA"

// Defaults of DialConfig.
const (
	// DefaultHandshakeTimeout bounds the wait for the phone's connectionInfo
	// once the data channel is open.
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultUpdateBuffer is how many pushed updates wait for the consumer
	// before the reader stops reading (backpressure to the phone).
	DefaultUpdateBuffer = 256
	// DefaultHeartbeat is how often the desktop asks the phone for a
	// connectionAck when nothing else is going on; a phone that does not
	// answer within the same time is taken as gone. Without it a killed
	// phone would only be noticed when ICE gives up (about 30 s).
	DefaultHeartbeat = 5 * time.Second
	// signalingPing asks the server to ping us every 30 s (Threema Web's value).
	signalingPing = 30 * time.Second
)

// DialConfig says how to reach the phone.
type DialConfig struct {
	// Server is the signaling server.
	Server Server
	// Key is the desktop's permanent key pair.
	Key cryptobox.KeyPair
	// Token is the one-time auth token of a first pairing; nil with TrustedPeer.
	Token *cryptobox.SymmetricKey
	// TrustedPeer is the phone's permanent key for a reconnect without token.
	TrustedPeer cryptobox.PublicKey
	// WebRTC configures the WebRTC task (zero value = defaults).
	WebRTC rtclink.WebRTCConfig
	// HandshakeTimeout bounds the connectionInfo exchange (0 = default).
	HandshakeTimeout time.Duration
	// Heartbeat is the interval and timeout of the liveness check (0 = DefaultHeartbeat).
	Heartbeat time.Duration
	// Resume is the state an ended connection left (Conn.ResumeState); the
	// new connection resumes it when the phone can, else it is abandoned.
	Resume *ResumeState
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Conn is an open link to the phone. Requests may be made from several
// goroutines; Updates must be drained by one consumer.
type Conn struct {
	rs  *rtclink.Session
	ch  *rtclink.SecureChannel
	log *slog.Logger

	cancel  context.CancelFunc
	updates chan wc.WireMessage
	done    chan struct{}

	id      []byte // the connection id both sides derived
	resumed bool

	sendMu sync.Mutex // orders sends with their sequence numbers
	out    outCache

	mu       sync.Mutex
	pending  map[string]chan wc.WireMessage
	received uint32
	err      error
	closing  bool         // Close was called: not resumable
	ended    bool         // the phone sent connectionDisconnect: not resumable
	parked   *ResumeState // set when the link dropped and can be resumed
}

// Dial waits at the signaling server for the phone (ctx bounds the wait),
// runs the WebRTC task, opens the THREEMA channel and exchanges
// connectionInfo. The returned Conn lives until Close or until the link fails.
func Dial(ctx context.Context, cfg DialConfig) (*Conn, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wcfg := cfg.WebRTC
	if wcfg.Logger == nil {
		wcfg.Logger = log
	}
	rcfg := rtclink.Config{
		Role: saltyrtc.RoleInitiator, ServerURL: cfg.Server.URL, ServerKey: cfg.Server.Key,
		TLSCertificateSHA256: cfg.Server.TLSCertificateSHA256, PermanentKey: cfg.Key,
		AuthToken: cfg.Token, TrustedPeerKey: cfg.TrustedPeer, PingInterval: signalingPing,
		Tasks: []rtclink.Task{rtclink.NewWebRTCTask(wcfg)}, Logger: log,
	}
	rs, err := rtclink.Dial(ctx, rcfg)
	if err != nil {
		return nil, fmt.Errorf("phonelink: signaling: %w", err)
	}
	task, err := rtclink.WebRTC(rs)
	if err != nil {
		_ = rs.Close(saltyrtc.CloseNormal)
		return nil, fmt.Errorf("phonelink: %w", err)
	}
	ch, err := task.OpenChannel(ctx, ChannelLabel)
	if err != nil {
		_ = rs.Close(saltyrtc.CloseNormal)
		return nil, fmt.Errorf("phonelink: data channel: %w", err)
	}
	timeout := cfg.HandshakeTimeout
	if timeout <= 0 {
		timeout = DefaultHandshakeTimeout
	}
	hctx, hcancel := context.WithTimeout(ctx, timeout)
	defer hcancel()
	ours, theirs, err := handshake(hctx, rs, ch, cfg.Resume)
	if err != nil {
		_ = rs.Close(saltyrtc.CloseNormal)
		cfg.Resume.Abandon()
		return nil, err
	}
	rctx, cancel := context.WithCancel(context.Background())
	c := &Conn{
		rs: rs, ch: ch, log: log.With("component", "phonelink"), cancel: cancel,
		updates: make(chan wc.WireMessage, DefaultUpdateBuffer), done: make(chan struct{}),
		pending:  make(map[string]chan wc.WireMessage),
		received: 1, // the phone's connectionInfo is message 1 of the connection (§2.3)
		id:       ours.ID,
		out:      outCache{sent: 1}, // and ours is message 1 the other way
	}
	if prev := cfg.Resume; prev != nil && wc.CanResume(ours, theirs) {
		c.resumed = true
		for id, w := range prev.pending { // the requests waiting across the drop get their replies here
			c.pending[id] = w
		}
		prev.pending = nil
		go c.readLoop(rctx)
		if err := c.replay(hctx, prev, theirs.Resume.SequenceNumber); err != nil {
			_ = c.Close(wc.DisconnectError)
			return nil, err
		}
	} else {
		cfg.Resume.Abandon()
		go c.readLoop(rctx)
	}
	beat := cfg.Heartbeat
	if beat <= 0 {
		beat = DefaultHeartbeat
	}
	go c.heartbeat(rctx, beat)
	return c, nil
}

// handshake reads the phone's connectionInfo (it comes first, §2.3), checks
// the connection id both sides derive from the session key and answers with
// ours, asking to resume prev when there is one. It returns both.
func handshake(ctx context.Context, rs *rtclink.Session, ch *rtclink.SecureChannel, prev *ResumeState) (ours, theirs wc.ConnectionInfo, err error) {
	b, err := ch.Receive(ctx)
	if err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	m, err := wc.Decode(b)
	if err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	if theirs, err = wc.DecodeConnectionInfo(m); err != nil {
		return ours, theirs, fmt.Errorf("%w: first message %s/%s: %w", ErrHandshake, m.Type, m.SubType, err)
	}
	shared, err := rs.SessionSharedKey()
	if err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	id := wc.ConnectionID(&shared)
	if !bytes.Equal(theirs.ID, id[:]) {
		return ours, theirs, fmt.Errorf("%w: connection id mismatch", ErrHandshake)
	}
	ours = wc.ConnectionInfo{ID: id[:], Resume: resumeInfo(prev)}
	out, err := wc.Encode(wc.NewConnectionInfo(ours))
	if err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	if err := ch.Send(ctx, out); err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	return ours, theirs, nil
}

// PeerKey is the phone's permanent public key (remember it for reconnects).
func (c *Conn) PeerKey() cryptobox.PublicKey { return c.rs.PeerKey() }

// Updates delivers everything the phone sends that is not a reply to one of
// our requests: update/* pushes, alerts and the like. It is closed when the
// connection ends.
func (c *Conn) Updates() <-chan wc.WireMessage { return c.updates }

// Done is closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is why the connection ended (nil while it is open or after Close).
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close says goodbye (connectionDisconnect with reason, when not empty),
// closes the link and waits for the reader.
func (c *Conn) Close(reason wc.DisconnectReason) error {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	if reason != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if c.Send(ctx, wc.NewConnectionDisconnect(reason)) == nil {
			_ = c.ch.Flush(ctx) // the goodbye must arrive before the link closes
		}
		cancel()
	}
	c.cancel()
	_ = c.rs.Close(saltyrtc.CloseNormal)
	<-c.done
	return nil
}

// Send sends a message that expects no reply (typing, activeConversation).
func (c *Conn) Send(ctx context.Context, m wc.WireMessage) error {
	b, err := wc.Encode(m)
	if err != nil {
		return fmt.Errorf("phonelink: %w", err)
	}
	return c.sendEncoded(ctx, m, b)
}

// sendEncoded sends b (the encoding of m), numbering it and keeping it for
// resume until the phone acknowledges it.
func (c *Conn) sendEncoded(ctx context.Context, m wc.WireMessage, b []byte) error {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	c.out.add(m, b)
	if err := c.ch.Send(ctx, b); err != nil {
		return fmt.Errorf("phonelink: send %s/%s: %w", m.Type, m.SubType, err)
	}
	return nil
}

// Request sends m with a fresh id and returns the reply that acks it. A
// reply reporting failure is returned with the error of its code.
func (c *Conn) Request(ctx context.Context, m wc.WireMessage) (wc.WireMessage, error) {
	id, err := newRequestID()
	if err != nil {
		return wc.WireMessage{}, err
	}
	m.ID = id
	reply := make(chan wc.WireMessage, 1)
	c.mu.Lock()
	if c.pending == nil {
		c.mu.Unlock()
		return wc.WireMessage{}, ErrClosed
	}
	c.pending[id] = reply
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.pending != nil {
			delete(c.pending, id)
		}
		c.mu.Unlock()
	}()
	if err := c.Send(ctx, m); err != nil {
		return wc.WireMessage{}, err
	}
	select {
	case r, ok := <-reply:
		if !ok {
			return wc.WireMessage{}, c.closedErr()
		}
		if r.Ack != nil && !r.Ack.Success {
			return r, fmt.Errorf("phonelink: %s/%s: %w", m.Type, m.SubType, wc.CodeToError(r.Ack.Error))
		}
		return r, nil
	case <-ctx.Done():
		return wc.WireMessage{}, fmt.Errorf("phonelink: %s/%s: %w", m.Type, m.SubType, ctx.Err())
	}
}

func (c *Conn) closedErr() error {
	if err := c.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return ErrClosed
}

// heartbeat asks for a connectionAck every interval and ends the
// connection when the phone does not answer within interval.
func (c *Conn) heartbeat(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, interval)
		_, err := c.Request(rctx, wc.NewConnectionAckRequest())
		cancel()
		if err != nil && ctx.Err() == nil {
			c.log.Info("the phone does not answer; closing the link", "err", err)
			c.mu.Lock()
			if c.err == nil {
				c.err = fmt.Errorf("%w: no answer within %s", ErrClosed, interval)
			}
			c.mu.Unlock()
			_ = c.rs.Close(saltyrtc.CloseNormal)
			return
		}
	}
}

// readLoop routes replies to their requests and everything else to Updates.
func (c *Conn) readLoop(ctx context.Context) {
	defer close(c.done)
	err := c.read(ctx)
	c.sendMu.Lock()
	out := c.out
	c.sendMu.Unlock()
	c.mu.Lock()
	if ctx.Err() == nil && c.err == nil {
		c.err = err
	}
	if !c.closing && !c.ended && !out.overflow {
		// The link dropped: keep what a resume needs; the waiting requests
		// wait for the next connection (or are abandoned with it).
		c.parked = &ResumeState{id: c.id, received: c.received, out: out, pending: c.pending}
	} else {
		for _, ch := range c.pending {
			close(ch)
		}
	}
	c.pending = nil
	c.mu.Unlock()
	close(c.updates)
	c.cancel()
	_ = c.rs.Close(saltyrtc.CloseNormal)
}

func (c *Conn) read(ctx context.Context) error {
	for {
		b, err := c.ch.Receive(ctx)
		if err != nil {
			return fmt.Errorf("phonelink: receive: %w", err)
		}
		c.mu.Lock()
		c.received++
		seq := c.received
		c.mu.Unlock()
		m, err := wc.Decode(b)
		if err != nil {
			// A message we cannot parse is the phone's bug, not a reason to drop the link.
			c.log.Warn("undecodable message from the phone", "err", err)
			continue
		}
		if m.Type == wc.TypeUpdate && m.SubType == wc.SubConnectionAck {
			if a, aerr := wc.DecodeConnectionAck(m); aerr == nil {
				c.sendMu.Lock()
				ok := c.out.ack(a.SequenceNumber)
				c.sendMu.Unlock()
				if !ok {
					c.log.Info("connectionAck from the phone out of range", "sequence", a.SequenceNumber)
				}
			}
		}
		c.mu.Lock()
		var waiter chan wc.WireMessage
		if m.Ack != nil {
			waiter = c.pending[m.Ack.ID]
			delete(c.pending, m.Ack.ID)
		}
		c.mu.Unlock()
		switch {
		case waiter != nil:
			waiter <- m
			continue
		case m.Type == wc.TypeUpdate && m.SubType == wc.SubConnectionAck:
			continue // the phone's acknowledgement, applied above
		case m.Type == wc.TypeUpdate && m.SubType == wc.SubConnectionDisconnect:
			c.mu.Lock()
			c.ended = true
			c.mu.Unlock()
			d, derr := wc.DecodeConnectionDisconnect(m)
			if derr != nil {
				return fmt.Errorf("%w: %w", ErrDisconnected, derr)
			}
			return &DisconnectError{Reason: d.Reason}
		case m.Type == wc.TypeRequest && m.SubType == wc.SubConnectionAck:
			if err := c.Send(ctx, wc.NewConnectionAckReply(m, seq)); err != nil {
				return err
			}
			continue
		}
		select {
		case c.updates <- m:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// newRequestID returns 6 random alphanumerics (§2.2).
func newRequestID() (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [wc.IDLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("phonelink: request id: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:]), nil
}

// DisconnectError says the phone ended the session and why; it matches ErrDisconnected.
type DisconnectError struct {
	Reason wc.DisconnectReason
}

func (e *DisconnectError) Error() string { return ErrDisconnected.Error() + ": " + string(e.Reason) }

// Is makes errors.Is(err, ErrDisconnected) true.
func (e *DisconnectError) Is(target error) bool { return target == ErrDisconnected }
