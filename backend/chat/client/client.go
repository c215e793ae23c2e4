package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// readBufferSize is the client's read buffer: several frames per read
// system call when the server sends in bursts.
const readBufferSize = 16 << 10

// pendingKey identifies an outgoing message awaiting its server ack.
type pendingKey struct {
	receiver  csp.ID
	messageID uint64
}

// pending is one outgoing message awaiting its server ack.
type pending struct {
	seq       uint64 // send order, for resending after a reconnect
	container []byte
	done      chan error // buffered 1
}

// Client is a CSP client with automatic reconnect. Create it with Dial; it
// is safe for concurrent use.
type Client struct {
	cfg      Config
	id       csp.ID
	log      *slog.Logger
	ctx      context.Context
	cancel   context.CancelFunc
	incoming chan csp.Envelope
	wg       sync.WaitGroup
	done     chan struct{} // closed when the client has stopped for good

	mu      sync.Mutex
	cur     *connection // nil while disconnected
	curUp   chan struct{}
	pending map[pendingKey]*pending
	nextSeq uint64
	err     error // why the client stopped
}

// Dial connects and logs in once (returning the error if that fails), then
// keeps the connection up in the background until Close or a close-error
// that forbids reconnecting.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	cfg, id, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	cn, err := dial(ctx, cfg, id)
	if err != nil {
		return nil, err
	}
	cctx, cancel := context.WithCancel(context.Background())
	c := &Client{
		cfg: cfg, id: id, ctx: cctx, cancel: cancel,
		log:      cfg.Logger.With("component", "chat-client", "identity", id.String()),
		incoming: make(chan csp.Envelope, cfg.IncomingBuffer),
		done:     make(chan struct{}),
		curUp:    make(chan struct{}),
		pending:  make(map[pendingKey]*pending),
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.run(cn)
	}()
	return c, nil
}

// Identity is the client's identity.
func (c *Client) Identity() csp.ID { return c.id }

// Incoming delivers the messages addressed to this identity, in the order the
// server sends them. Each must be acknowledged with Ack, or the server sends
// it again after the next login (unless it carries FlagNoAck). The channel is
// closed when the client stops.
func (c *Client) Incoming() <-chan csp.Envelope { return c.incoming }

// Done is closed when the client has stopped for good; Err says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err is why the client stopped: ErrClosed after Close, or the *CloseError
// of a server that forbade reconnecting. It is nil while the client runs.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close stops the client, closes its connection and waits for its
// goroutines. Pending Sends return ErrClosed.
func (c *Client) Close() error {
	c.cancel()
	c.mu.Lock()
	if cn := c.cur; cn != nil {
		cn.close()
	}
	c.mu.Unlock()
	c.wg.Wait()
	return nil
}

// WaitSynced waits until the current connection has received
// queue-send-complete (0xd0): the server's offline backlog has been sent.
func (c *Client) WaitSynced(ctx context.Context) error {
	for {
		c.mu.Lock()
		cn, up := c.cur, c.curUp
		c.mu.Unlock()
		if cn == nil {
			select {
			case <-up:
				continue
			case <-c.done:
				return c.stopErr()
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		select {
		case <-cn.synced:
			return nil
		case <-c.done:
			return c.stopErr()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Send sends env (whose Sender must be this identity) and returns once the
// server has acknowledged it, that is once it is stored for delivery. A
// message flagged FlagNoAck returns as soon as it is written. While the
// connection is down the message waits and is sent after the reconnect, in
// order with the other pending messages. If ctx ends first, Send returns its
// error and forgets the message (it may still have been stored).
func (c *Client) Send(ctx context.Context, env csp.Envelope) error {
	if env.Sender != c.id {
		return fmt.Errorf("client: send: sender %s is not %s", env.Sender, c.id)
	}
	container, err := csp.AppendContainer(nil, csp.OutgoingMessage{Envelope: env})
	if err != nil {
		return fmt.Errorf("client: send: %w", err)
	}
	if env.Flags.Has(csp.FlagNoAck) {
		c.mu.Lock()
		cn := c.cur
		c.mu.Unlock()
		if cn == nil {
			return ErrNotConnected
		}
		return cn.writeContainer(container)
	}
	key := pendingKey{receiver: env.Receiver, messageID: env.MessageID}
	p := &pending{container: container, done: make(chan error, 1)}
	if err := c.enqueue(key, p); err != nil {
		return err
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		c.mu.Lock()
		if c.pending[key] == p {
			delete(c.pending, key)
		}
		c.mu.Unlock()
		return ctx.Err()
	}
}

// enqueue registers p as pending and writes it on the current connection, if
// any. The connection's write lock is taken before c.mu (the order serve
// uses too) and held while the sequence number is drawn, so that the resend
// order after a reconnect is the order of the first writes.
func (c *Client) enqueue(key pendingKey, p *pending) error {
	for {
		c.mu.Lock()
		cn := c.cur
		c.mu.Unlock()
		if cn != nil {
			cn.writeMu.Lock()
		}
		c.mu.Lock()
		if c.cur != cn {
			c.mu.Unlock()
			if cn != nil {
				cn.writeMu.Unlock()
			}
			continue
		}
		var err error
		switch _, dup := c.pending[key]; {
		case c.err != nil:
			err = c.err
		case dup:
			err = fmt.Errorf("%w: %s/%016x", ErrDuplicate, key.receiver, key.messageID)
		default:
			c.nextSeq++
			p.seq = c.nextSeq
			c.pending[key] = p
		}
		c.mu.Unlock()
		if cn == nil {
			return err
		}
		if err == nil {
			if werr := cn.writeLocked(p.container); werr != nil {
				c.log.Debug("send deferred to the next connection", "err", werr)
			}
		}
		cn.writeMu.Unlock()
		return err
	}
}

// Ack acknowledges an incoming message to the server (payload 0x82), which
// then deletes it. It fails with ErrNotConnected while disconnected; the
// server then sends the message again after the next login.
func (c *Client) Ack(ctx context.Context, sender csp.ID, messageID uint64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	cn := c.cur
	c.mu.Unlock()
	if cn == nil {
		return ErrNotConnected
	}
	return cn.writePayload(csp.ClientAck{Sender: sender, MessageID: messageID})
}

func (c *Client) stopErr() error {
	if err := c.Err(); err != nil {
		return err
	}
	return ErrClosed
}

// run owns the connection: it serves one until it ends, then reconnects with
// back-off, until Close or a close-error that forbids reconnecting.
func (c *Client) run(cn *connection) {
	defer close(c.incoming)
	defer close(c.done)
	delay := c.cfg.ReconnectMin
	for {
		err := c.serve(cn)
		var ce *CloseError
		switch {
		case c.ctx.Err() != nil:
			c.stop(ErrClosed)
			return
		case errors.As(err, &ce) && !ce.CanReconnect:
			c.log.Info("server closed the connection for good", "message", ce.Message)
			c.stop(ce)
			return
		}
		c.log.Info("connection lost", "err", err)
		for {
			select {
			case <-time.After(delay):
			case <-c.ctx.Done():
				c.stop(ErrClosed)
				return
			}
			cn, err = dial(c.ctx, c.cfg, c.id)
			if err == nil {
				delay = c.cfg.ReconnectMin
				break
			}
			if errors.As(err, &ce) && !ce.CanReconnect {
				c.log.Info("login refused for good", "message", ce.Message)
				c.stop(ce)
				return
			}
			c.log.Info("reconnect failed", "err", err, "retry_in", delay)
			delay = min(2*delay, c.cfg.ReconnectMax)
		}
	}
}

// stop records why the client stopped and fails the pending sends.
func (c *Client) stop(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
	for k, p := range c.pending {
		p.done <- c.err
		delete(c.pending, k)
	}
}

// serve runs one connection: it resends the pending messages, starts the
// reader and sends echo requests until the connection ends.
func (c *Client) serve(cn *connection) error {
	// The connection becomes current (so that Ack works for the first
	// message the reader hands out) under its write lock, which it holds
	// until the pending messages are resent: new Sends queue up behind them.
	cn.writeMu.Lock()
	resend := c.makeCurrent(cn)
	readErr := make(chan error, 1)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		readErr <- c.readLoop(cn)
	}()
	err := c.resend(cn, resend)
	cn.writeMu.Unlock()
	if err != nil {
		cn.close()
		<-readErr
		c.detach()
		return err
	}
	echo := time.NewTicker(c.cfg.EchoInterval)
	defer echo.Stop()
	var echoSent time.Time
	var counter uint64
	for {
		var deadline <-chan time.Time
		if !echoSent.IsZero() {
			deadline = time.After(time.Until(echoSent.Add(c.cfg.EchoTimeout)))
		}
		select {
		case err := <-readErr:
			c.detach()
			if ce := cn.closeErr.Load(); ce != nil {
				return ce
			}
			return err
		case <-c.ctx.Done():
			cn.close()
			<-readErr
			c.detach()
			return c.ctx.Err()
		case <-echo.C:
			if !echoSent.IsZero() {
				continue
			}
			counter++
			var data [8]byte
			for i := range data {
				data[i] = byte(counter >> (8 * i))
			}
			echoSent = time.Now()
			if err := cn.writePayload(csp.EchoRequest{Data: data[:]}); err != nil {
				cn.close()
			}
		case <-deadline:
			if time.Unix(0, cn.lastEcho.Load()).Before(echoSent) {
				c.log.Info("echo timeout, dropping the connection")
				cn.close()
				<-readErr
				c.detach()
				return ErrEchoTimeout
			}
			echoSent = time.Time{}
		}
	}
}

// makeCurrent makes cn the current connection and returns the pending
// messages in their original order.
func (c *Client) makeCurrent(cn *connection) []*pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	resend := make([]*pending, 0, len(c.pending))
	for _, p := range c.pending {
		resend = append(resend, p)
	}
	c.cur = cn
	close(c.curUp)
	sort.Slice(resend, func(i, j int) bool { return resend[i].seq < resend[j].seq })
	return resend
}

// resend sets the idle timeout and resends the pending messages; the caller
// holds cn's write lock.
func (c *Client) resend(cn *connection, resend []*pending) error {
	if c.cfg.IdleTimeout > 0 {
		p, err := csp.AppendContainer(nil, csp.SetConnectionIdleTimeout{Seconds: uint16(c.cfg.IdleTimeout / time.Second)})
		if err != nil {
			return err
		}
		if err := cn.writeLocked(p); err != nil {
			return err
		}
	}
	for _, p := range resend {
		if err := cn.writeLocked(p.container); err != nil {
			return err
		}
	}
	if len(resend) > 0 {
		c.log.Info("resent unacknowledged messages", "count", len(resend))
	}
	return nil
}

// detach marks the client disconnected.
func (c *Client) detach() {
	c.mu.Lock()
	c.cur = nil
	c.curUp = make(chan struct{})
	c.mu.Unlock()
}

// readLoop handles the frames of cn until it fails.
func (c *Client) readLoop(cn *connection) error {
	if cn.first != nil {
		if err := c.handle(cn, cn.first); err != nil {
			cn.close()
			return err
		}
		cn.first = nil
	}
	buf := make([]byte, csp.MaxFrameLen)
	br := bufio.NewReaderSize(cn.nc, readBufferSize)
	for {
		box, err := csp.ReadFrame(br, buf)
		if err != nil {
			cn.close()
			return fmt.Errorf("client: read: %w", err)
		}
		container, err := cn.sess.OpenFrame(nil, box)
		if err != nil {
			cn.close()
			return err
		}
		if err := c.handle(cn, container); err != nil {
			cn.close()
			return err
		}
	}
}

// handle dispatches one container from the server. container is not reused.
func (c *Client) handle(cn *connection, container []byte) error {
	p, err := csp.DecodePayload(container)
	if err != nil {
		return err
	}
	switch p := p.(type) {
	case csp.IncomingMessage:
		if p.Envelope.Receiver != c.id {
			// A server bug or a hostile server: acknowledge so that it is not
			// delivered again, drop it, and keep the connection (dropping the
			// connection would only make us reconnect and get it again).
			c.log.Warn("message for another identity dropped", "receiver", p.Envelope.Receiver, "sender", p.Envelope.Sender)
			if p.Envelope.Flags.Has(csp.FlagNoAck) {
				return nil // the server expects no ack (§3.4)
			}
			return cn.writePayload(csp.ClientAck{Sender: p.Envelope.Sender, MessageID: p.Envelope.MessageID})
		}
		select {
		case c.incoming <- p.Envelope:
		case <-c.ctx.Done():
			return c.ctx.Err()
		}
	case csp.ServerAck:
		key := pendingKey{receiver: p.Receiver, messageID: p.MessageID}
		c.mu.Lock()
		if pd, ok := c.pending[key]; ok {
			delete(c.pending, key)
			pd.done <- nil
		}
		c.mu.Unlock()
	case csp.EchoResponse:
		cn.lastEcho.Store(time.Now().UnixNano())
	case csp.QueueSendComplete:
		cn.markSynced()
	case csp.CloseError:
		ce := &CloseError{CanReconnect: p.CanReconnect, Message: p.Message}
		cn.closeErr.Store(ce)
		c.log.Info("close-error received", "can_reconnect", p.CanReconnect, "message", p.Message)
	case csp.Alert:
		c.log.Warn("server alert", "bytes", len(p.Message))
	case csp.DeviceCookieChangeIndication:
		c.log.Warn("device cookie change indicated")
	default:
		return fmt.Errorf("%w: %s", errUnexpected, p.PayloadType())
	}
	return nil
}
