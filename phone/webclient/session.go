package webclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
	"github.com/kurier/kurier/rtclink"
)

// Session is one connected desktop.
type Session struct {
	srv *Server
	id  string
	log *slog.Logger
	rs  *rtclink.Session
	ch  *rtclink.SecureChannel

	stopOnce   sync.Once
	stopCh     chan struct{}
	stopReason wc.DisconnectReason // set before stopCh is closed
	done       chan struct{}

	qmu    sync.Mutex
	queue  []phone.Event
	signal chan struct{}

	// shown holds the seqs of the messages the desktop has seen (pages,
	// pushes, its own sends); only the session loop touches it.
	shown map[int64]struct{}
}

func newSession(srv *Server, id string, rs *rtclink.Session, ch *rtclink.SecureChannel) *Session {
	return &Session{srv: srv, id: id, log: srv.log.With("session", id), rs: rs, ch: ch,
		stopCh: make(chan struct{}), done: make(chan struct{}), signal: make(chan struct{}, 1),
		shown: make(map[int64]struct{})}
}

// ID is the stored session's id.
func (s *Session) ID() string { return s.id }

// Done is closed once the session ended.
func (s *Session) Done() <-chan struct{} { return s.done }

func (s *Session) isDone() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// stop asks the session to end, telling the desktop why.
func (s *Session) stop(reason wc.DisconnectReason) {
	s.stopOnce.Do(func() {
		s.stopReason = reason
		close(s.stopCh)
	})
}

// closeLink closes the channel and the SaltyRTC session (peer connection included).
func (s *Session) closeLink() {
	_ = s.ch.Close()
	_ = s.rs.Close(saltyrtc.CloseNormal)
}

// enqueue takes a phone event without blocking (Subscribe's rule).
func (s *Session) enqueue(e phone.Event) {
	s.qmu.Lock()
	s.queue = append(s.queue, e)
	s.qmu.Unlock()
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

func (s *Session) takeEvents() []phone.Event {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// run serves the session until ctx ends, the desktop leaves or stop is called.
func (s *Session) run(ctx context.Context) {
	defer close(s.done)
	ctx, cancel := context.WithCancel(ctx)
	unsubscribe := s.srv.p.Subscribe(s.enqueue)
	in := make(chan []byte)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(in)
		for {
			b, err := s.ch.Receive(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Info("desktop channel ended", "err", err)
				}
				return
			}
			select {
			case in <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	err := s.loop(ctx, in)
	unsubscribe()
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.Info("desktop session ended", "err", err)
	}
	cancel()
	s.closeLink()
	wg.Wait()
}

// loop sends our connectionInfo, requires the desktop's first, then
// answers requests and pushes events in order.
func (s *Session) loop(ctx context.Context, in <-chan []byte) error {
	shared, err := s.rs.SessionSharedKey()
	if err != nil {
		return fmt.Errorf("webclient: connection id: %w", err)
	}
	connID := wc.ConnectionID(&shared)
	if err := s.send(ctx, wc.NewConnectionInfo(wc.ConnectionInfo{ID: connID[:]})); err != nil {
		return err
	}
	greeted := false
	for {
		var events <-chan struct{} // events wait for the desktop's connectionInfo
		if greeted {
			events = s.signal
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.stopCh:
			_ = s.send(ctx, wc.NewConnectionDisconnect(s.stopReason))
			return nil
		case <-s.rs.Done():
			return fmt.Errorf("webclient: link: %w", s.rs.Err())
		case b, ok := <-in:
			if !ok {
				return errors.New("webclient: channel closed")
			}
			m, err := wc.Decode(b)
			if err != nil {
				// Not even an envelope to answer: a protocol violation that
				// ends this session only.
				_ = s.send(ctx, wc.NewConnectionDisconnect(wc.DisconnectError))
				return fmt.Errorf("webclient: undecodable message of %d bytes: %w", len(b), err)
			}
			if !greeted {
				ci, err := wc.DecodeConnectionInfo(m)
				if err != nil {
					return ErrHandshake
				}
				// Both sides derive the same id (§2.3); a peer that does not
				// implement it sends the protocol's placeholder.
				if !wc.IsFakeConnectionID(ci.ID) && !bytes.Equal(ci.ID, connID[:]) {
					return fmt.Errorf("%w: connection ids differ", ErrHandshake)
				}
				greeted = true
				continue
			}
			stop, err := s.handle(ctx, m)
			if err != nil {
				return err
			}
			if stop {
				return nil
			}
		case <-events:
			for _, e := range s.takeEvents() {
				if err := s.push(ctx, e); err != nil {
					return err
				}
			}
		}
	}
}

// send encodes and sends one message.
func (s *Session) send(ctx context.Context, m wc.WireMessage) error {
	b, err := wc.Encode(m)
	if err != nil {
		return fmt.Errorf("webclient: encode %s/%s: %w", m.Type, m.SubType, err)
	}
	if err := s.ch.Send(ctx, b); err != nil {
		return fmt.Errorf("webclient: send %s/%s: %w", m.Type, m.SubType, err)
	}
	return nil
}
