package rtclink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// Session is one SaltyRTC connection with an authenticated peer.
type Session struct {
	cfg  Config
	log  *slog.Logger
	ws   *websocket.Conn
	link *TaskLink

	mu         sync.Mutex // guards client, timer, handedOver and every frame write
	client     *saltyrtc.Client
	timer      *time.Timer
	ticks      sync.WaitGroup // an armed or running tick
	handedOver bool

	task    Task
	peerKey cryptobox.PublicKey
	shared  cryptobox.SharedKey // between the session keys, kept from the peer handshake
	peer    saltyrtc.Address    // set before ready is closed
	ready   chan struct{}       // closed on peer authentication

	endOnce       sync.Once
	closedLocally atomic.Bool // Close was called: later sends fail with ErrClosed
	done          chan struct{}
	err           error // set before done is closed
	readerDone    chan struct{}
}

// Dial connects to the signalling server, runs the server and peer handshakes
// and returns once a task was chosen. On failure the error wraps the close
// code's sentinel (e.g. saltyrtc.ErrInitiatorCouldNotDecrypt).
func Dial(ctx context.Context, cfg Config) (*Session, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	specs := make([]saltyrtc.TaskSpec, 0, len(c.Tasks))
	for _, t := range c.Tasks {
		specs = append(specs, saltyrtc.TaskSpec{Name: t.Name(), Data: t.Data(), MessageTypes: t.MessageTypes()})
	}
	client, err := saltyrtc.NewClient(saltyrtc.ClientConfig{
		Role: c.Role, PermanentKey: c.PermanentKey, ServerKey: c.ServerKey,
		InitiatorKey: c.InitiatorKey, AuthToken: c.AuthToken, TrustedPeerKey: c.TrustedPeerKey,
		Tasks: specs, PingInterval: uint32(c.PingInterval / time.Second), Rand: c.Rand,
	})
	if err != nil {
		return nil, fmt.Errorf("rtclink: %w", err)
	}
	d := websocket.Dialer{
		HandshakeTimeout: c.HandshakeTimeout,
		Subprotocols:     []string{saltyrtc.Subprotocol},
		TLSClientConfig:  c.tlsConfig(),
		ReadBufferSize:   4096,
		WriteBufferSize:  4096,
	}
	ws, resp, err := d.DialContext(ctx, c.wsURL(), nil)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("rtclink: dial: %w", err)
	}
	if ws.Subprotocol() != saltyrtc.Subprotocol {
		_ = ws.Close()
		return nil, fmt.Errorf("rtclink: dial: %w", saltyrtc.ErrSubprotocol)
	}
	ws.SetReadLimit(maxFrameSize)
	s := &Session{
		cfg: c, log: c.Logger.With("component", "rtclink", "role", c.Role.String()), ws: ws, client: client,
		ready: make(chan struct{}), done: make(chan struct{}), readerDone: make(chan struct{}),
	}
	s.link = &TaskLink{s: s}
	go s.readLoop()
	select {
	case <-s.ready:
		return s, nil
	case <-s.done:
		<-s.readerDone
		s.ticks.Wait()
		return nil, s.err
	case <-ctx.Done():
		s.finishCode(fmt.Errorf("rtclink: dial: %w", ctx.Err()), saltyrtc.CloseGoingAway)
		<-s.readerDone
		s.ticks.Wait()
		return nil, s.err
	}
}

// PeerKey is the peer's permanent public key (store it to trust the peer next time).
func (s *Session) PeerKey() cryptobox.PublicKey { return s.peerKey }

// Task is the chosen task.
func (s *Session) Task() Task { return s.task }

// SessionSharedKey is the precomputed Box key between the two peers' session
// keys. Protocols on top derive values both sides must agree on from it, such
// as the Threema Web connection id (protocols.md §2.3); it is a secret.
func (s *Session) SessionSharedKey() (cryptobox.SharedKey, error) {
	if !s.authenticated() {
		return cryptobox.SharedKey{}, errors.New("rtclink: session key: no authenticated peer yet")
	}
	return s.shared, nil
}

// Done is closed when the session ended.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err is why the session ended (nil while it runs; ErrClosed after Close).
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Send sends one message to the peer through the chosen task.
func (s *Session) Send(ctx context.Context, msg []byte) error {
	m, ok := s.task.(Messenger)
	if !ok {
		return ErrNoMessenger
	}
	if s.closedLocally.Load() {
		return ErrClosed
	}
	if err := s.Err(); err != nil {
		return err
	}
	return m.Send(ctx, msg)
}

// Receive returns the peer's next message from the chosen task.
func (s *Session) Receive(ctx context.Context) ([]byte, error) {
	m, ok := s.task.(Messenger)
	if !ok {
		return nil, ErrNoMessenger
	}
	return m.Receive(ctx)
}

// Close sends `close` with code to the peer (§1.6; over the task's channel
// after a handover), closes the WebSocket with 1001 and waits for the reader
// goroutine and the task's goroutines.
func (s *Session) Close(code saltyrtc.CloseCode) error {
	s.closedLocally.Store(true)
	s.mu.Lock()
	ht, _ := s.task.(handoverTask)
	s.mu.Unlock()
	if ht != nil && s.Err() == nil {
		ht.beginClose(code, s.isHandedOver())
	}
	s.mu.Lock()
	if s.client.PeerAuthenticated() && !s.handedOver {
		if f, err := s.client.SendClose(code); err == nil {
			_ = s.writeLocked(f)
		}
	}
	s.mu.Unlock()
	s.finishCode(ErrClosed, saltyrtc.CloseGoingAway)
	<-s.readerDone
	s.ticks.Wait()
	if ht != nil {
		ht.wait()
	}
	return nil
}

// handoverTask is a task that carries the signalling itself after a handover
// (the WebRTC task, §1.8) and owns goroutines.
type handoverTask interface {
	// beginClose marks a local close under way and, after a handover, sends
	// `close` to the peer over the task's signalling channel.
	beginClose(code saltyrtc.CloseCode, handedOver bool)
	// wait returns once the task's goroutines ended (after Close).
	wait()
}

// sendFrame builds a frame with the state machine and writes it, in order.
func (s *Session) sendFrame(build func(*saltyrtc.Client) ([]byte, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.Err(); err != nil {
		return err
	}
	f, err := build(s.client)
	if err != nil {
		return fmt.Errorf("rtclink: %w", err)
	}
	return s.writeLocked(f)
}

func (s *Session) writeLocked(f []byte) error {
	_ = s.ws.SetWriteDeadline(s.cfg.Now().Add(writeTimeout))
	if err := s.ws.WriteMessage(websocket.BinaryMessage, f); err != nil {
		return fmt.Errorf("rtclink: write: %w", err)
	}
	return nil
}

// readLoop is the session's only reader.
func (s *Session) readLoop() {
	defer close(s.readerDone)
	defer func() { _ = s.ws.Close() }()
	for {
		_, b, err := s.ws.ReadMessage()
		if err != nil {
			s.mu.Lock()
			handedOver := s.handedOver
			s.mu.Unlock()
			if !handedOver {
				s.finish(readError(err), false)
			}
			return
		}
		s.mu.Lock()
		out, herr := s.client.Handle(s.cfg.Now(), b)
		werr := s.apply(out)
		s.mu.Unlock()
		s.dispatch(out.Events)
		switch {
		case herr != nil:
			s.finish(fmt.Errorf("rtclink: %w", herr), true)
		case werr != nil:
			s.finish(werr, false)
		case out.Close != 0:
			s.finishCode(fmt.Errorf("rtclink: %w", saltyrtc.ErrGoingAway), out.Close)
		}
		select {
		case <-s.done:
			s.drain()
			return
		default:
		}
	}
}

// apply writes an output's frames and arms its wakeup; s.mu is held.
func (s *Session) apply(out saltyrtc.Output) error {
	for _, f := range out.Frames {
		if err := s.writeLocked(f); err != nil {
			return err
		}
	}
	if !out.Wakeup.IsZero() {
		s.stopTimerLocked()
		s.ticks.Add(1)
		s.timer = time.AfterFunc(max(out.Wakeup.Sub(s.cfg.Now()), 0), func() {
			defer s.ticks.Done()
			s.tick()
		})
	}
	return nil
}

// stopTimerLocked disarms the tick timer; s.mu is held.
func (s *Session) stopTimerLocked() {
	if s.timer != nil && s.timer.Stop() {
		s.ticks.Done() // it will not run
	}
	s.timer = nil
}

// tick runs the state machine's deferred work (the initiator's retry delay).
func (s *Session) tick() {
	select {
	case <-s.done:
		return
	default:
	}
	s.mu.Lock()
	s.timer = nil
	out, err := s.client.Tick(s.cfg.Now())
	werr := s.apply(out)
	s.mu.Unlock()
	s.dispatch(out.Events)
	if err != nil {
		s.finish(fmt.Errorf("rtclink: %w", err), true)
	} else if werr != nil {
		s.finish(werr, false)
	}
}

// dispatch handles events outside s.mu, on the reader (or tick) goroutine.
func (s *Session) dispatch(events []saltyrtc.Event) {
	for _, ev := range events {
		switch e := ev.(type) {
		case saltyrtc.EventPeerAuthenticated:
			s.peerAuthenticated(e)
		case saltyrtc.EventTaskMessage:
			if s.task == nil {
				continue
			}
			if err := s.task.HandleMessage(e.Message); err != nil {
				s.finish(fmt.Errorf("rtclink: task: %w", err), true)
			}
		case saltyrtc.EventPeerClosed:
			s.log.Info("peer closed the session", "reason", uint16(e.Reason))
		case saltyrtc.EventDisconnected:
			// After a handover the peer closes its WebSocket too (§1.8): not an end.
			if s.authenticated() && s.peer == e.ID && !s.isHandedOver() {
				s.finish(fmt.Errorf("%w: disconnected", ErrPeerGone), true)
			}
		case saltyrtc.EventSendError:
			if e.Peer {
				s.finish(fmt.Errorf("%w: the server could not relay to the peer", ErrPeerGone), true)
			}
		case saltyrtc.EventNewInitiator:
			if s.authenticated() {
				s.finish(fmt.Errorf("%w: a new initiator replaced the peer", ErrPeerGone), true)
			}
		case saltyrtc.EventResponderDropped:
			s.log.Debug("responder dropped", "id", int(e.ID), "reason", uint16(e.Reason))
		case saltyrtc.EventApplication:
			s.log.Debug("application message ignored")
		}
	}
}

func (s *Session) peerAuthenticated(e saltyrtc.EventPeerAuthenticated) {
	var chosen Task
	for _, t := range s.cfg.Tasks {
		if t.Name() == e.Task {
			chosen = t
		}
	}
	// finishCode (Dial's context ending, Close) reads the task under mu
	// once done is closed: a session already finished starts none.
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		return
	default:
	}
	s.task = chosen
	s.mu.Unlock()
	s.peerKey, s.peer = e.PeerKey, e.Peer
	ps, err := s.link.PeerSession()
	if err != nil {
		s.finish(fmt.Errorf("rtclink: peer session: %w", err), true)
		return
	}
	s.shared = ps.Shared
	if err := s.task.Start(s.link, e.TaskData); err != nil {
		s.finish(fmt.Errorf("rtclink: start task: %w", err), true)
		return
	}
	s.log.Info("peer authenticated", "task", e.Task)
	close(s.ready)
}

func (s *Session) authenticated() bool {
	select {
	case <-s.ready:
		return true
	default:
		return false
	}
}

// finish ends the session once with err; send closes the WebSocket with
// ErrorToCloseCode(err).
func (s *Session) finish(err error, send bool) {
	code := saltyrtc.CloseCode(0)
	if send {
		code = saltyrtc.ErrorToCloseCode(err)
	}
	s.finishCode(err, code)
}

func (s *Session) finishCode(err error, code saltyrtc.CloseCode) {
	if s.closedLocally.Load() {
		// Close is under way: whatever ends the session meanwhile ends it
		// because of Close (the state machine, closed by Close's `close`,
		// refuses a message or tick that comes after it).
		err, code = ErrClosed, saltyrtc.CloseGoingAway
	}
	s.endOnce.Do(func() {
		s.err = err
		s.mu.Lock()
		s.stopTimerLocked()
		close(s.done)
		task := s.task
		s.mu.Unlock()
		if task != nil {
			task.Close(err)
		}
		deadline := s.cfg.Now().Add(closeWait)
		if code != 0 {
			_ = s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(int(code), ""), deadline)
		}
		_ = s.ws.SetReadDeadline(deadline) // the reader waits for the server's close frame, then exits
	})
}

func (s *Session) isHandedOver() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handedOver
}

// handover closes the WebSocket with 3003; the session goes on in the task.
func (s *Session) handover() {
	s.mu.Lock()
	s.handedOver = true
	s.mu.Unlock()
	_ = s.ws.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(int(saltyrtc.CloseHandover), ""), s.cfg.Now().Add(closeWait))
}

func (s *Session) drain() {
	for {
		if _, _, err := s.ws.NextReader(); err != nil {
			return
		}
	}
}

// readError turns a WebSocket read error into the close code's sentinel.
func readError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return fmt.Errorf("rtclink: server closed: %w", saltyrtc.CloseCodeToError(saltyrtc.CloseCode(ce.Code)))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("rtclink: %w: %w", saltyrtc.ErrTimeout, err)
	}
	return fmt.Errorf("rtclink: read: %w", err)
}
