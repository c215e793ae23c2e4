package chat

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// maxPendingEchoes bounds the echo responses one connection may have waiting;
// a client that floods echo requests without reading is disconnected.
const maxPendingEchoes = 16

// closeGrace bounds the write of a final close-error.
const closeGrace = time.Second

// readBufferSize is the per-connection read buffer: large enough that a
// small frame (ack, echo, typing, short text) arrives in one read system
// call, small enough for an idle connection (larger frames bypass it).
const readBufferSize = 512

// delivery is one incoming-message frame waiting for the writer. seq is the
// queue row (0 for a no-queuing message that was never stored).
type delivery struct {
	seq      int64
	envelope []byte
}

// conn is one logged-in client connection: a reader goroutine, and a writer
// goroutine that exists only while there is something to write (an idle
// connection has no writer, which keeps it small). The writer alone writes
// to the socket and seals frames; at most one runs at a time.
type conn struct {
	srv      *Server
	nc       net.Conn
	br       *bufio.Reader
	log      *slog.Logger
	id       csp.ID
	sess     *csp.Session
	ctx      context.Context
	cancel   context.CancelFunc
	inflight chan struct{} // one token per message awaiting its server ack
	idle     time.Duration // read by the reader only
	epoch    int64         // the login's cluster epoch; set before the hub knows c
	send     senderPace    // used by the reader only

	mu            sync.Mutex
	acks          []csp.ServerAck
	echoes        [][]byte
	deliveries    []delivery
	outBytes      int
	live          bool  // the backlog is flushed; offers go straight to deliveries
	cursor        int64 // highest seq handed to the writer
	queueComplete bool  // send 0xd0 after the pending deliveries
	pollPending   bool  // the queue may hold messages past cursor (cluster)
	polling       bool  // the writer reads the queue past cursor (cluster)
	closeErr      *csp.CloseError
	writing       bool           // a writer goroutine runs (or has closed the socket for good)
	writers       sync.WaitGroup // the writer goroutines
}

func newConn(parent context.Context, s *Server, nc net.Conn, ls session) *conn {
	ctx, cancel := context.WithCancel(parent)
	c := &conn{
		srv: s, nc: nc, br: bufio.NewReaderSize(nc, readBufferSize), id: ls.id, sess: ls.sess, ctx: ctx, cancel: cancel,
		log:      s.log.With("identity", ls.id.String(), "remote", nc.RemoteAddr().String()),
		inflight: make(chan struct{}, s.cfg.MaxInflight),
		idle:     s.cfg.IdleTimeout,
		send:     newSenderPace(s.cfg),
	}
	// However the connection ends (kill, the server's shutdown), a writer
	// must come to write the close-error and close the socket.
	context.AfterFunc(ctx, func() { c.kill(nil) })
	return c
}

// wake makes sure a writer runs to write what is pending.
func (c *conn) wake() {
	c.mu.Lock()
	c.startWriterLocked(nil)
	c.mu.Unlock()
}

// startWriterLocked starts a writer goroutine unless one runs; first, if
// not nil, is what it does before writing the pending frames.
func (c *conn) startWriterLocked(first func(w *frameWriter) error) {
	if c.writing {
		return
	}
	c.writing = true
	c.writers.Add(1)
	go func() {
		defer c.writers.Done()
		c.writeRun(first)
	}()
}

// kill ends the connection; ce, if not nil, is sent first as a close-error.
// A writer then writes it and closes the socket, which ends the reader.
func (c *conn) kill(ce *csp.CloseError) {
	c.mu.Lock()
	if c.closeErr == nil && ce != nil {
		c.closeErr = ce // before cancel: whoever sees the cancel sees the reason
	}
	c.mu.Unlock()
	c.cancel()
	c.mu.Lock()
	c.startWriterLocked(nil)
	c.mu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(closeGrace))
}

// readLoop reads and handles frames until the client leaves, breaks the
// protocol, idles out, or the connection is killed.
func (c *conn) readLoop() error {
	var hdr [csp.FrameHeaderLen]byte
	for {
		if err := c.nc.SetReadDeadline(time.Now().Add(c.idle)); err != nil {
			return err
		}
		if c.ctx.Err() != nil {
			return nil
		}
		if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
			return err
		}
		n, err := csp.ParseFrameHeader(hdr[:])
		if err != nil {
			return fmt.Errorf("%w: %w", errProtocol, err)
		}
		if err := c.readFrame(n); err != nil {
			return err
		}
	}
}

// readFrame reads, opens and handles one frame of n bytes.
func (c *conn) readFrame(n int) error {
	bufs := &c.srv.frameBufs
	bp, cp := bufs.Get().(*[]byte), bufs.Get().(*[]byte)
	defer bufs.Put(bp)
	defer bufs.Put(cp)
	box := (*bp)[:n]
	if _, err := io.ReadFull(c.br, box); err != nil {
		return err
	}
	container, err := c.sess.OpenFrame((*cp)[:0], box)
	if err != nil {
		return fmt.Errorf("%w: %w", errProtocol, err)
	}
	t, data, err := csp.ParseContainer(container)
	if err != nil {
		return fmt.Errorf("%w: %w", errProtocol, err)
	}
	if err := c.handle(t, data); err != nil {
		return fmt.Errorf("%w: %s: %w", errProtocol, t, err)
	}
	return nil
}

// handle dispatches one payload from the client. data aliases a recycled
// buffer: whatever outlives the call is copied.
func (c *conn) handle(t csp.PayloadType, data []byte) error {
	switch t {
	case csp.TypeOutgoingMessage:
		return c.handleOutgoing(data)
	case csp.TypeClientAck:
		a, err := csp.DecodeClientAck(data)
		if err != nil {
			return err
		}
		return c.srv.batch.submit(c.ctx, request{kind: reqDelete, receiver: c.id, sender: a.Sender, messageID: a.MessageID})
	case csp.TypeEchoRequest:
		c.mu.Lock()
		if len(c.echoes) >= maxPendingEchoes {
			c.mu.Unlock()
			return errors.New("too many unanswered echo requests")
		}
		c.echoes = append(c.echoes, append([]byte(nil), data...))
		c.mu.Unlock()
		c.wake()
		return nil
	case csp.TypeSetConnectionIdleTimeout:
		p, err := csp.DecodeSetConnectionIdleTimeout(data)
		if err != nil {
			return err
		}
		c.idle = time.Duration(p.Seconds) * time.Second
		c.log.Debug("idle timeout set", "seconds", p.Seconds)
		return nil
	case csp.TypeEchoResponse:
		return nil // the server sends no echo requests; a stray answer is harmless
	case csp.TypeUnblockIncomingMessages:
		_, err := csp.DecodeUnblockIncomingMessages(data)
		return err // no multi-device blocking: nothing to unblock
	case csp.TypeClearDeviceCookieChangeIndication:
		_, err := csp.DecodeClearDeviceCookieChangeIndication(data)
		return err // device cookies are not tracked: nothing to clear
	case csp.TypeSetPushToken, csp.TypeSetHighPriorityPushToken, csp.TypeDeletePushTokens:
		// Validated and accepted; Kurier sends no push notifications.
		var err error
		switch t {
		case csp.TypeSetPushToken:
			_, err = csp.DecodeSetPushToken(data)
		case csp.TypeSetHighPriorityPushToken:
			_, err = csp.DecodeSetHighPriorityPushToken(data)
		default:
			_, err = csp.DecodeDeletePushTokens(data)
		}
		if err == nil {
			c.log.Debug("push token payload accepted", "type", t.String(), "bytes", len(data))
		}
		return err
	default:
		return fmt.Errorf("%w: %#02x from a client", csp.ErrUnknownPayload, uint8(t))
	}
}

// handleOutgoing validates an outgoing message and hands it to the batcher;
// the server ack follows once it is committed.
func (c *conn) handleOutgoing(data []byte) error {
	env, err := csp.DecodeEnvelope(data)
	if err != nil {
		return err
	}
	if env.Sender != c.id {
		return fmt.Errorf("sender %s is not the logged-in identity", env.Sender)
	}
	if waited, err := c.pace(len(data)); err != nil {
		return nil // the connection is ending
	} else if waited {
		c.srv.m.throttled.Add(1)
	}
	if c.srv.storeFull.Load() {
		c.srv.m.storeFull.Add(1)
		return nil // neither stored nor acked: the sender keeps it until there is room
	}
	if !c.srv.receiverKnown(c.ctx, env.Receiver) {
		// Neither stored nor acked, like a message to a full queue.
		c.srv.m.unknownReceiver.Add(1)
		c.log.Info("message to an identity the directory does not know refused", "receiver", env.Receiver.String())
		return nil
	}
	now := c.srv.cfg.Now()
	stored := append([]byte(nil), data...)
	if int64(env.CreatedAt) > now.Unix() || env.Flags.Has(csp.FlagShortLived) {
		if err := csp.SetEnvelopeCreatedAt(stored, uint32(now.Unix())); err != nil {
			return err
		}
	}
	ttl := c.srv.cfg.Retention
	if env.Flags.Has(csp.FlagShortLived) {
		ttl = c.srv.cfg.ShortLivedTTL
	}
	m := &message{
		sender: env.Sender, receiver: env.Receiver, messageID: env.MessageID, flags: env.Flags,
		expiresAt: now.Add(ttl).UnixMilli(), envelope: stored, from: c,
	}
	if env.Flags.Has(csp.FlagNoQueuing) && c.srv.cluster.st != nil && c.srv.hub.get(env.Receiver) == nil {
		// If the receiver is logged in on another node, the shared queue
		// carries the message there, briefly.
		m.relay, m.expiresAt = true, now.Add(liveRelayTTL).UnixMilli()
	}
	select {
	case c.inflight <- struct{}{}:
	case <-c.ctx.Done():
		return nil
	}
	c.log.Debug("message received", "receiver", env.Receiver.String(), "bytes", len(data), "flags", uint8(env.Flags))
	if err := c.srv.batch.submit(c.ctx, request{kind: reqEnqueue, msg: m}); err != nil {
		c.release(1)
		if c.ctx.Err() != nil {
			return nil
		}
		return err
	}
	return nil
}

// release returns n in-flight tokens.
func (c *conn) release(n int) {
	for range n {
		select {
		case <-c.inflight:
		default:
		}
	}
}

// queueAck schedules a server ack; the writer releases its token once sent.
func (c *conn) queueAck(a csp.ServerAck) {
	c.mu.Lock()
	if c.ctx.Err() != nil {
		c.mu.Unlock()
		return // the sender resends it on its next connection
	}
	c.acks = append(c.acks, a)
	c.mu.Unlock()
	c.wake()
}
