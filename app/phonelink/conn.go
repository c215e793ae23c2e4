package phonelink

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kurier/kurier/protocol/chunking"
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
	// DefaultAckProbe bounds the wait for the phone's answer to the
	// request/connectionAck the desktop sends after connectionInfo on the
	// WebRTC task: a phone that answers has acks and resume (Kurier's); one
	// that does not (the real Threema apps, §2.3a) gets none on this
	// connection. A silent phone is noticed by ICE (rtclink's
	// DefaultICEFailedTimeout), not by this.
	DefaultAckProbe = 10 * time.Second
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
	// AckProbe bounds the wait for the answer to the ack probe (0 = DefaultAckProbe).
	AckProbe time.Duration
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
	ch  rtclink.Messenger // the THREEMA data channel, or the Relayed Data task
	log *slog.Logger

	cancel  context.CancelFunc
	updates chan wc.WireMessage
	done    chan struct{}

	id      []byte // the connection id both sides derived
	resumed bool
	relayed bool // the Relayed Data task (else WebRTC)

	sendMu    sync.Mutex // orders sends with their sequence numbers
	out       *wc.OutCache
	framing   *wc.Framing // units of the task (§2.1); Frames under sendMu, Unframe by the reader only
	acksKnown bool        // the phone showed whether it has acks (under sendMu)

	mu       sync.Mutex
	pending  map[string]*waiter
	sentReqs uint64 // requests sent, for waiter.order
	received uint32
	err      error
	closing  bool         // Close was called: not resumable
	ended    bool         // the phone sent connectionDisconnect: not resumable
	parked   *ResumeState // set when the link dropped and can be resumed
}

// Dial waits at the signaling server for the phone (ctx bounds the wait),
// runs the task the phone chose — the WebRTC task v1 or v0, opening the
// THREEMA channel, or the Relayed Data task, as Threema Web offers them —
// and exchanges connectionInfo. The returned Conn lives until Close or
// until the link fails.
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
		Tasks:  []rtclink.Task{rtclink.NewWebRTCTask(wcfg), rtclink.NewWebRTCTaskV0(wcfg), rtclink.NewRelayedDataTask()},
		Logger: log,
	}
	rs, err := rtclink.Dial(ctx, rcfg)
	if err != nil {
		return nil, fmt.Errorf("phonelink: signaling: %w", err)
	}
	ch, relayed := rtclink.AppChannel(rs)
	if !relayed {
		task, err := rtclink.WebRTC(rs)
		if err != nil {
			_ = rs.Close(saltyrtc.CloseNormal)
			return nil, fmt.Errorf("phonelink: %w", err)
		}
		if ch, err = task.OpenChannel(ctx, ChannelLabel); err != nil {
			_ = rs.Close(saltyrtc.CloseNormal)
			return nil, fmt.Errorf("phonelink: data channel: %w", err)
		}
	}
	timeout := cfg.HandshakeTimeout
	if timeout <= 0 {
		timeout = DefaultHandshakeTimeout
	}
	hctx, hcancel := context.WithTimeout(ctx, timeout)
	defer hcancel()
	rctx, cancel := context.WithCancel(context.Background())
	c := &Conn{
		rs: rs, ch: ch, log: log.With("component", "phonelink"), cancel: cancel,
		updates: make(chan wc.WireMessage, DefaultUpdateBuffer), done: make(chan struct{}),
		pending: make(map[string]*waiter),
		out:     wc.NewOutCache(true, MaxResumeMessages, MaxResumeBytes),
		framing: wc.NewFraming(relayed, chunking.Limits{}),
		relayed: relayed,
		// The Relayed Data task has acks (§2.1); on the WebRTC task the probe tells.
		acksKnown: relayed,
	}
	if prev := cfg.Resume; prev != nil && prev.framing != nil && prev.framing.Relayed() == relayed {
		c.framing = prev.framing // relayed chunks continue across a resume
	}
	ours, theirs, err := c.handshake(hctx, cfg.Resume)
	if err != nil {
		cancel()
		_ = rs.Close(saltyrtc.CloseNormal)
		cfg.Resume.Abandon()
		return nil, err
	}
	c.id = ours.ID
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
	if relayed {
		go c.ackLoop(rctx, AckDelay)
	}
	switch {
	case c.resumed:
		c.acksKnown = true // the resumed connection had acks
	case !relayed:
		probe := cfg.AckProbe
		if probe <= 0 {
			probe = DefaultAckProbe
		}
		// The probe must be the first message after connectionInfo: that is
		// how the phone learns that the desktop has acks.
		reply, err := c.send(hctx, wc.NewConnectionAckRequest())
		if err != nil {
			_ = c.Close("")
			return nil, fmt.Errorf("%w: %w", ErrHandshake, err)
		}
		go c.probeAcks(rctx, reply, probe)
	}
	return c, nil
}

// handshake reads the phone's connectionInfo (it comes first, §2.3), checks
// the connection id both sides derive from the session key — or the
// placeholder of a phone that does not implement it (the Android app) — and
// answers with ours, asking to resume prev when there is one. It returns
// both.
func (c *Conn) handshake(ctx context.Context, prev *ResumeState) (ours, theirs wc.ConnectionInfo, err error) {
	var b []byte
	for b == nil {
		u, err := c.ch.Receive(ctx)
		if err != nil {
			return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
		}
		c.received++
		if b, err = c.framing.Unframe(u); err != nil {
			return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
		}
	}
	m, err := wc.Decode(b)
	if err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	if theirs, err = wc.DecodeConnectionInfo(m); err != nil {
		return ours, theirs, fmt.Errorf("%w: first message %s/%s: %w", ErrHandshake, m.Type, m.SubType, err)
	}
	shared, err := c.rs.SessionSharedKey()
	if err != nil {
		return ours, theirs, fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	id := wc.ConnectionID(&shared)
	if !wc.IsFakeConnectionID(theirs.ID) && !bytes.Equal(theirs.ID, id[:]) {
		return ours, theirs, fmt.Errorf("%w: connection id mismatch", ErrHandshake)
	}
	ours = wc.ConnectionInfo{ID: id[:], Resume: resumeInfo(prev)}
	if err := c.Send(ctx, wc.NewConnectionInfo(ours)); err != nil {
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

// sendEncoded sends b (the encoding of m) as the units of the task,
// numbering each and keeping it for resume until the phone acknowledges it.
func (c *Conn) sendEncoded(ctx context.Context, m wc.WireMessage, b []byte) error {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	units, err := c.framing.Frames(b)
	if err != nil {
		return fmt.Errorf("phonelink: send %s/%s: %w", m.Type, m.SubType, err)
	}
	for _, u := range units {
		if err := c.sendUnitLocked(ctx, u, !wc.IsControl(m)); err != nil {
			return fmt.Errorf("phonelink: send %s/%s: %w", m.Type, m.SubType, err)
		}
	}
	return nil
}

// sendUnitLocked sends one unit (c.sendMu held).
func (c *Conn) sendUnitLocked(ctx context.Context, u []byte, replay bool) error {
	c.out.Add(u, replay)
	return c.ch.Send(ctx, u)
}

// Request sends m and returns its reply. As Threema Web does, a request
// carries a fresh id and the same args.temporaryId (the Android app echoes
// only the latter), except the kinds Threema Web sends without (withoutID),
// whose reply is matched by its kind. A reply reporting failure is returned
// with the error of its code.
func (c *Conn) Request(ctx context.Context, m wc.WireMessage) (wc.WireMessage, error) {
	wait, err := c.send(ctx, m)
	if err != nil {
		return wc.WireMessage{}, err
	}
	return wait(ctx)
}

// send sends request m and returns the function that waits for its reply
// (and stops waiting when it returns).
func (c *Conn) send(ctx context.Context, m wc.WireMessage) (func(context.Context) (wc.WireMessage, error), error) {
	id, err := newRequestID()
	if err != nil {
		return nil, err
	}
	untagged := withoutID(m) && !c.relayed
	if !untagged {
		m.ID = id
		if m.Type != wc.TypeRequest || m.SubType != wc.SubConnectionAck {
			args := make(map[string]any, len(m.Args)+1)
			for k, v := range m.Args {
				args[k] = v
			}
			args["temporaryId"] = id
			m.Args = args
		}
	}
	w := &waiter{reply: make(chan wc.WireMessage, 1), subType: m.SubType, receiver: receiverArgs(m), untagged: untagged}
	c.mu.Lock()
	if c.pending == nil {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.sentReqs++
	w.order = c.sentReqs
	c.pending[id] = w
	c.mu.Unlock()
	forget := func() {
		c.mu.Lock()
		if c.pending != nil && c.pending[id] == w {
			delete(c.pending, id)
		}
		c.mu.Unlock()
	}
	if err := c.Send(ctx, m); err != nil {
		forget()
		return nil, err
	}
	return func(ctx context.Context) (wc.WireMessage, error) {
		defer forget()
		select {
		case r, ok := <-w.reply:
			if !ok {
				return wc.WireMessage{}, c.closedErr()
			}
			if res, err := wc.ResultOf(r); err == nil && !res.Success {
				return r, fmt.Errorf("phonelink: %s/%s: %w", m.Type, m.SubType, res.Err())
			}
			return r, nil
		case <-ctx.Done():
			return wc.WireMessage{}, fmt.Errorf("phonelink: %s/%s: %w", m.Type, m.SubType, ctx.Err())
		}
	}, nil
}

func (c *Conn) closedErr() error {
	if err := c.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return ErrClosed
}

// probeAcks waits for the answer to the request/connectionAck sent after
// connectionInfo (§2.3a): Kurier's phone answers, and the connection then
// has acks and can be resumed; the real Threema apps have none on the
// WebRTC task and do not answer, so after timeout this connection keeps
// nothing for a resume. It never ends the connection.
func (c *Conn) probeAcks(ctx context.Context, reply func(context.Context) (wc.WireMessage, error), timeout time.Duration) {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	_, err := reply(pctx)
	cancel()
	if ctx.Err() != nil {
		return
	}
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	c.acksKnown = true
	if err != nil {
		c.out.DisableAcks()
		c.log.Debug("the phone has no connectionAck: no resume on this connection")
		return
	}
	c.log.Debug("the phone has connectionAck")
}

// AckDelay is how long after the phone's traffic the desktop acknowledges
// it on the Relayed Data task (§2.1: 10 s, as Threema Web does).
const AckDelay = 10 * time.Second

// ackLoop sends update/connectionAck with the units received, every delay
// while there was traffic since the last one (Relayed Data task only).
func (c *Conn) ackLoop(ctx context.Context, delay time.Duration) {
	t := time.NewTicker(delay)
	defer t.Stop()
	var acked uint32
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c.mu.Lock()
		n := c.received
		c.mu.Unlock()
		if n == acked {
			continue
		}
		if err := c.Send(ctx, wc.NewConnectionAck(n)); err != nil {
			return
		}
		acked = n
	}
}

// readLoop routes replies to their requests and everything else to Updates.
func (c *Conn) readLoop(ctx context.Context) {
	defer close(c.done)
	err := c.read(ctx)
	c.sendMu.Lock()
	out, resumable := c.out, c.acksKnown && c.out.Resumable()
	c.sendMu.Unlock()
	c.mu.Lock()
	if ctx.Err() == nil && c.err == nil {
		c.err = err
	}
	if !c.closing && !c.ended && resumable {
		// The link dropped: keep what a resume needs; the waiting requests
		// wait for the next connection (or are abandoned with it).
		c.parked = &ResumeState{id: c.id, received: c.received, out: out, pending: c.pending, framing: c.framing}
	} else {
		for _, w := range c.pending {
			close(w.reply)
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
		u, err := c.ch.Receive(ctx)
		if err != nil {
			return fmt.Errorf("phonelink: receive: %w", err)
		}
		c.mu.Lock()
		c.received++
		seq := c.received
		c.mu.Unlock()
		b, err := c.framing.Unframe(u)
		if err != nil {
			c.log.Warn("bad chunk from the phone dropped", "err", err)
			continue
		}
		if b == nil {
			continue // a relayed message not complete yet
		}
		m, err := wc.Decode(b)
		if err != nil {
			// A message we cannot parse is the phone's bug, not a reason to drop the link.
			c.log.Warn("undecodable message from the phone", "err", err)
			continue
		}
		if m.Type == wc.TypeUpdate && m.SubType == wc.SubConnectionAck {
			if a, aerr := wc.DecodeConnectionAck(m); aerr == nil {
				c.sendMu.Lock()
				ok := c.out.Ack(a.SequenceNumber)
				c.sendMu.Unlock()
				if !ok {
					c.log.Info("connectionAck from the phone not applied", "sequence", a.SequenceNumber)
				}
			}
		}
		c.mu.Lock()
		w := c.match(m)
		c.mu.Unlock()
		switch {
		case w != nil:
			w.reply <- m
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
