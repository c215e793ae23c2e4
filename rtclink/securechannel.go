package rtclink

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/chunking"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// SecureChannel is a wrapped data channel of the WebRTC task (§1.8): each
// message is boxed with the peers' session keys under the channel's own
// nonce (cookie ‖ channel id ‖ overflow ‖ sequence), then chunked in the
// unreliable/unordered mode of §1.10 with chunks no larger than the peer's
// SCTP max message size. It sends and receives whole messages.
//
// Send applies backpressure: it waits while the channel's buffered amount is
// above WebRTCConfig.SendBufferHigh. Received messages wait in a bounded
// inbox; when it is full the channel stops reading and SCTP flow control
// slows the peer down.
type SecureChannel struct {
	dc        *webrtc.DataChannel
	label     string
	log       *slog.Logger
	shared    cryptobox.SharedKey
	rand      io.Reader
	now       func() time.Time
	high      int
	chunkSize func() int
	// onMessage, when set, takes received messages instead of the inbox (the
	// signalling channel feeds the task's loop); onFail learns of a broken
	// channel, onOpen of the open one.
	onMessage func([]byte)
	onFail    func(error)
	onOpen    func()

	initMu sync.Mutex
	crypto *dcCrypto
	chunk  int

	sendMu sync.Mutex // one Send at a time: sequence numbers, message ids and chunks in order
	msgID  uint32
	buf    []byte
	low    chan struct{} // buffered amount fell below the threshold

	unchunker *chunking.Unchunker // pion's read loop of this channel only

	inbox     chan []byte
	opened    chan struct{}
	openOnce  sync.Once
	done      chan struct{}
	closeOnce sync.Once
	err       error // set before done is closed
}

// channelParams are what a secure channel takes from its task.
type channelParams struct {
	shared    cryptobox.SharedKey
	cfg       WebRTCConfig
	log       *slog.Logger
	chunkSize func() int
	onMessage func([]byte)
	onFail    func(error)
	onOpen    func()
}

// newSecureChannel wraps dc and installs its handlers; call it before dc can
// open (right after CreateDataChannel, or inside OnDataChannel).
func newSecureChannel(dc *webrtc.DataChannel, p channelParams) (*SecureChannel, error) {
	u, err := chunking.NewUnchunker(chunking.UnreliableUnordered, p.cfg.Reassembly)
	if err != nil {
		return nil, fmt.Errorf("rtclink: %w", err)
	}
	c := &SecureChannel{
		dc: dc, label: dc.Label(), log: p.log.With("channel", dc.Label()), shared: p.shared,
		rand: p.cfg.Rand, now: p.cfg.Now, high: p.cfg.SendBufferHigh, chunkSize: p.chunkSize,
		onMessage: p.onMessage, onFail: p.onFail, onOpen: p.onOpen, unchunker: u,
		low: make(chan struct{}, 1), inbox: make(chan []byte, p.cfg.Inbox),
		opened: make(chan struct{}), done: make(chan struct{}),
	}
	dc.OnOpen(c.handleOpen)
	dc.OnClose(func() { c.finish(fmt.Errorf("%w: %q closed by the peer or the transport", ErrChannelClosed, c.label)) })
	dc.OnError(func(err error) { c.log.Debug("data channel error", "err", err) })
	dc.OnMessage(c.handleMessage)
	return c, nil
}

// Label is the channel's label.
func (c *SecureChannel) Label() string { return c.label }

// ID is the channel's SCTP stream id (valid once open).
func (c *SecureChannel) ID() uint16 {
	if id := c.dc.ID(); id != nil {
		return *id
	}
	return 0
}

// Opened is closed once the channel is open.
func (c *SecureChannel) Opened() <-chan struct{} { return c.opened }

// Done is closed when the channel is closed, locally, by the peer, or because
// it broke (a message that fails the nonce, replay or decryption checks).
func (c *SecureChannel) Done() <-chan struct{} { return c.done }

// Err is why the channel closed (nil while it is open); it wraps
// ErrChannelClosed, ErrReplay, ErrChannelNonce or saltyrtc.ErrDecrypt.
func (c *SecureChannel) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

// Close closes the channel; the peer's Receive returns ErrChannelClosed.
func (c *SecureChannel) Close() error {
	c.finish(fmt.Errorf("%w: %q closed locally", ErrChannelClosed, c.label))
	return nil
}

// Send encrypts msg, chunks it and sends the chunks, waiting while the
// channel's send buffer is full. A cancelled ctx may leave part of a message
// sent; the peer's reassembly drops it after a while.
func (c *SecureChannel) Send(ctx context.Context, msg []byte) error {
	if err := c.waitOpen(ctx); err != nil {
		return err
	}
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	const hs = chunking.UnreliableUnorderedHeaderSize
	// Seal behind room for one chunk header: a message that fits one chunk
	// goes out from this buffer without a copy.
	buf := append(c.buf[:0], make([]byte, hs)...)
	buf, err := c.crypto.seal(buf, msg)
	if err != nil {
		return err
	}
	id := c.msgID
	c.msgID++
	if len(buf) <= c.chunk {
		buf[0] = 1 // end of message, serial 0 (§1.10)
		binary.BigEndian.PutUint32(buf[1:5], id)
		binary.BigEndian.PutUint32(buf[5:9], 0)
		err = c.write(ctx, buf)
	} else {
		err = c.sendChunks(ctx, id, buf[hs:])
	}
	if cap(buf) <= 2*c.chunk {
		c.buf = buf // reuse; pion copies what it sends
	}
	return err
}

func (c *SecureChannel) sendChunks(ctx context.Context, id uint32, box []byte) error {
	ch, err := chunking.NewChunker(chunking.UnreliableUnordered, id, box, c.chunk)
	if err != nil {
		return fmt.Errorf("rtclink: %w", err)
	}
	out := make([]byte, 0, c.chunk)
	for {
		chunk, ok := ch.Next(out)
		if !ok {
			return nil
		}
		if err := c.write(ctx, chunk); err != nil {
			return err
		}
	}
}

// write sends one chunk once the buffered amount is at most the high mark.
func (c *SecureChannel) write(ctx context.Context, chunk []byte) error {
	for c.dc.BufferedAmount() > uint64(c.high) {
		select {
		case <-c.low:
		case <-ctx.Done():
			return fmt.Errorf("rtclink: send: %w", ctx.Err())
		case <-c.done:
			return c.err
		}
	}
	if err := c.dc.Send(chunk); err != nil {
		if e := c.Err(); e != nil {
			return e
		}
		return fmt.Errorf("%w: send on %q: %w", ErrChannelClosed, c.label, err)
	}
	return nil
}

// Flush waits until every message sent so far has left the send buffer
// (pion releases buffered bytes when the peer's SCTP acknowledges them), so
// that a goodbye is not lost when the connection is closed right after it.
func (c *SecureChannel) Flush(ctx context.Context) error {
	for c.dc.BufferedAmount() > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("rtclink: flush: %w", ctx.Err())
		case <-c.done:
			return c.err
		case <-time.After(2 * time.Millisecond):
		}
	}
	return nil
}

// Receive returns the peer's next message. After the channel closed it
// returns the messages still held, then the reason it closed.
func (c *SecureChannel) Receive(ctx context.Context) ([]byte, error) {
	select {
	case m := <-c.inbox:
		return m, nil
	default:
	}
	select {
	case m := <-c.inbox:
		return m, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("rtclink: receive: %w", ctx.Err())
	case <-c.done:
		select {
		case m := <-c.inbox:
			return m, nil
		default:
			return nil, c.err
		}
	}
}

func (c *SecureChannel) waitOpen(ctx context.Context) error {
	select {
	case <-c.done:
		return c.err
	default:
	}
	select {
	case <-c.opened:
		return nil
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return fmt.Errorf("rtclink: open %q: %w", c.label, ctx.Err())
	}
}

// handleOpen runs on a pion goroutine once the channel is open.
func (c *SecureChannel) handleOpen() {
	if _, err := c.ensureCrypto(); err != nil {
		c.fail(err)
		return
	}
	c.dc.SetBufferedAmountLowThreshold(uint64(c.high / 2))
	c.dc.OnBufferedAmountLow(func() {
		select {
		case c.low <- struct{}{}:
		default:
		}
	})
	c.openOnce.Do(func() { close(c.opened) })
	c.log.Debug("secure data channel open", "id", c.ID(), "chunk", c.chunk)
	if c.onOpen != nil {
		c.onOpen()
	}
}

// ensureCrypto creates the crypto context once the channel id is known
// (messages may arrive before pion runs the open handler).
func (c *SecureChannel) ensureCrypto() (*dcCrypto, error) {
	c.initMu.Lock()
	defer c.initMu.Unlock()
	if c.crypto != nil {
		return c.crypto, nil
	}
	id := c.dc.ID()
	if id == nil {
		return nil, fmt.Errorf("%w: %q has no id", ErrWebRTC, c.label)
	}
	cr, err := newDCCrypto(*id, c.shared, c.rand)
	if err != nil {
		return nil, err
	}
	c.chunk = max(c.chunkSize(), chunking.UnreliableUnorderedHeaderSize+1)
	c.crypto = cr
	return cr, nil
}

// handleMessage runs on pion's read loop of this channel, one chunk at a time.
func (c *SecureChannel) handleMessage(m webrtc.DataChannelMessage) {
	if m.IsString {
		c.fail(fmt.Errorf("%w: text message on secure channel %q", saltyrtc.ErrProtocol, c.label))
		return
	}
	cr, err := c.ensureCrypto()
	if err != nil {
		c.fail(err)
		return
	}
	msg, err := c.unchunker.Add(m.Data, c.now())
	if err != nil {
		c.fail(fmt.Errorf("rtclink: channel %q: %w: %w", c.label, err, saltyrtc.ErrProtocol))
		return
	}
	if msg == nil {
		return
	}
	plain, err := cr.open(msg)
	if err != nil {
		c.fail(fmt.Errorf("%w: %w", err, saltyrtc.ErrProtocol))
		return
	}
	if c.onMessage != nil {
		c.onMessage(plain)
		return
	}
	select {
	case c.inbox <- plain:
	case <-c.done:
	}
}

// fail closes a broken channel and tells the owner. Only the error kind and
// sizes are logged, never data.
func (c *SecureChannel) fail(err error) {
	c.log.Warn("secure data channel broken", "err", err)
	c.finish(err)
	if c.onFail != nil {
		c.onFail(err)
	}
}

// finish closes the channel once with err.
func (c *SecureChannel) finish(err error) {
	c.closeOnce.Do(func() {
		c.err = err
		close(c.done)
		_ = c.dc.Close()
	})
}
