package webclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kurier/kurier/protocol/chunking"
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
	ch  rtclink.Messenger // the THREEMA data channel, or the Relayed Data task

	// framing turns messages into the units the task carries (§2.1); the
	// session loop owns it.
	framing *wc.Framing

	stopOnce   sync.Once
	stopCh     chan struct{}
	stopReason wc.DisconnectReason // set before stopCh is closed
	done       chan struct{}

	// peerReason is the reason of the desktop's connectionDisconnect ("" if
	// it sent none); set by the loop before done is closed.
	peerReason wc.DisconnectReason

	// feed is the subscription to the phone's events; set by run.
	feed *feed

	// Only the session loop touches the rest. shown holds the seqs of the
	// messages the desktop has seen (pages, pushes, its own sends); out and
	// inSeq count the messages each way for connectionAck and resume (§2.3).
	// acksKnown is set once the desktop showed whether it has acks (§2.3a).
	shown     map[int64]struct{}
	out       *wc.OutCache
	acksKnown bool
	inSeq     uint32
	connID    [wc.ConnectionIDSize]byte
	ackTimer  *time.Timer
	ackDue    <-chan time.Time
}

func newSession(srv *Server, id string, rs *rtclink.Session, ch rtclink.Messenger) *Session {
	return &Session{srv: srv, id: id, log: srv.log.With("session", id), rs: rs, ch: ch,
		framing: wc.NewFraming(hasAcks(rs), chunking.Limits{}),
		stopCh:  make(chan struct{}), done: make(chan struct{}),
		shown: make(map[int64]struct{}), out: wc.NewOutCache(!srv.cfg.LikeAndroid, srv.cfg.ResumeMessages, srv.cfg.ResumeBytes),
		acksKnown: hasAcks(rs) || srv.cfg.LikeAndroid}
}

// hasAcks reports whether the session's task has connectionAck and resume
// from the start: the Relayed Data task does (§2.1). On the WebRTC task the
// real clients have none (§2.3a); there a desktop shows that it has them by
// sending request/connectionAck before anything else (after connectionInfo),
// as Kurier's desktop does, and the phone then acks too. Until the desktop
// showed either way the phone keeps what it sends, so that a connection
// with acks can be resumed from its first message.
func hasAcks(rs *rtclink.Session) bool {
	return rs != nil && rs.Task() != nil && rs.Task().Name() == rtclink.RelayedDataTaskName
}

// learnAcks applies what the desktop's first message after connectionInfo
// shows: a request/connectionAck means the desktop has acks; anything else
// means it has none (Threema Web on the WebRTC task), and the phone never
// sends or expects an ack on this connection.
func (s *Session) learnAcks(m wc.WireMessage) {
	if s.acksKnown {
		return
	}
	s.acksKnown = true
	if m.Type == wc.TypeRequest && m.SubType == wc.SubConnectionAck {
		s.log.Debug("the desktop has connectionAck")
		return
	}
	s.out.DisableAcks()
	s.log.Debug("the desktop has no connectionAck: no acks and no resume on this connection")
}

// ID is the stored session's id.
func (s *Session) ID() string { return s.id }

// Done is closed once the session ended.
func (s *Session) Done() <-chan struct{} { return s.done }

// DisconnectReason is the reason the desktop gave in its
// update/connectionDisconnect, or "" if it sent none (valid once Done is
// closed).
func (s *Session) DisconnectReason() wc.DisconnectReason {
	<-s.done
	return s.peerReason
}

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

// closeLink closes the channel and the SaltyRTC session (peer connection
// included), after a short wait for what was sent (a goodbye) to arrive.
func (s *Session) closeLink() {
	ctx, cancel := context.WithTimeout(context.Background(), flushWait)
	_ = s.ch.Flush(ctx)
	cancel()
	if c, ok := s.ch.(interface{ Close() error }); ok {
		_ = c.Close()
	}
	_ = s.rs.Close(saltyrtc.CloseNormal)
}

// flushWait bounds the wait for sent messages before a session's link closes.
const flushWait = time.Second

// run serves the session until ctx ends, the desktop leaves or stop is
// called. A connection the link dropped is parked for resume.
func (s *Session) run(ctx context.Context) {
	defer close(s.done)
	ctx, cancel := context.WithCancel(ctx)
	prev, queued := s.srv.takeParked(s.id)
	if prev != nil {
		s.feed = prev.feed
		if prev.framing.Relayed() == s.framing.Relayed() {
			// Relayed chunks continue: the desktop may finish a message
			// it began on the dropped connection.
			s.framing = prev.framing
		}
	} else {
		s.feed = newFeed(s.srv.p)
	}
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
	greeted, err := s.loop(ctx, in, prev, queued)
	if s.ackTimer != nil {
		s.ackTimer.Stop()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.Info("desktop session ended", "err", err)
	}
	cancel()
	s.closeLink()
	wg.Wait()
	s.srv.leaving(s)
	if greeted && errors.Is(err, errLinkLost) && s.peerReason == "" && s.srv.ctx.Err() == nil && s.acksKnown && s.out.Resumable() {
		s.srv.park(&parked{session: s.id, connID: s.connID, inSeq: s.inSeq, out: s.out, feed: s.feed, shown: s.shown, framing: s.framing})
		s.log.Info("connection parked for resume", "received", s.inSeq, "sent", s.out.Sent())
		return
	}
	s.feed.close()
}

// loop sends our connectionInfo, requires the desktop's first, then
// answers requests and pushes events in order. greeted reports whether the
// handshake completed.
func (s *Session) loop(ctx context.Context, in <-chan []byte, prev *parked, queued int) (greeted bool, err error) {
	shared, err := s.rs.SessionSharedKey()
	if err != nil {
		return false, fmt.Errorf("webclient: connection id: %w", err)
	}
	s.connID = wc.ConnectionID(&shared)
	ours := ourConnectionInfo(s.connID, prev)
	if s.srv.cfg.LikeAndroid {
		fake := wc.FakeConnectionID()
		ours = wc.ConnectionInfo{ID: fake[:]} // the Android app implements no connection id
	}
	if err := s.sendControl(ctx, wc.NewConnectionInfo(ours)); err != nil {
		return false, err
	}
	for {
		var events <-chan struct{} // events wait for the desktop's connectionInfo
		if greeted {
			events = s.feed.signal
		}
		select {
		case <-ctx.Done():
			return greeted, ctx.Err()
		case <-s.stopCh:
			_ = s.sendControl(ctx, wc.NewConnectionDisconnect(s.stopReason))
			return greeted, nil
		case <-s.rs.Done():
			return greeted, fmt.Errorf("%w: %w", errLinkLost, s.rs.Err())
		case <-s.ackDue:
			s.ackDue = nil
			if s.acksKnown && s.out.Acks() {
				if err := s.sendControl(ctx, wc.NewConnectionAck(s.inSeq)); err != nil {
					return greeted, err
				}
			}
		case b, ok := <-in:
			if !ok {
				return greeted, fmt.Errorf("%w: channel closed", errLinkLost)
			}
			s.received()
			msg, ferr := s.framing.Unframe(b)
			if ferr != nil {
				s.log.Info("bad chunk from the desktop dropped", "err", ferr)
				continue
			}
			if msg == nil {
				continue // a relayed message not complete yet
			}
			b = msg
			m, err := wc.Decode(b)
			if err != nil {
				// Not even an envelope to answer: a protocol violation that
				// ends this session only.
				_ = s.sendControl(ctx, wc.NewConnectionDisconnect(wc.DisconnectError))
				return greeted, fmt.Errorf("webclient: undecodable message of %d bytes: %w", len(b), err)
			}
			if !greeted {
				ci, err := wc.DecodeConnectionInfo(m)
				if err != nil {
					return false, ErrHandshake
				}
				// Both sides derive the same id (§2.3); a peer that does not
				// implement it sends the protocol's placeholder.
				if !wc.IsFakeConnectionID(ci.ID) && !bytes.Equal(ci.ID, s.connID[:]) {
					return false, fmt.Errorf("%w: connection ids differ", ErrHandshake)
				}
				if _, err := s.resume(ctx, ours, ci, prev, queued); err != nil {
					_ = s.sendControl(ctx, wc.NewConnectionDisconnect(wc.DisconnectError))
					return false, err
				}
				prev = nil
				greeted = true
				continue
			}
			s.learnAcks(m)
			stop, err := s.handle(ctx, m)
			if err != nil {
				return greeted, err
			}
			if stop {
				return greeted, nil
			}
		case <-events:
			for _, e := range s.feed.take() {
				if err := s.push(ctx, e); err != nil {
					return greeted, err
				}
			}
		}
		if greeted && s.acksKnown && s.out.WantAck() {
			s.out.AckRequested()
			if err := s.sendControl(ctx, wc.NewConnectionAckRequest()); err != nil {
				return greeted, err
			}
		}
	}
}

// received counts one message from the desktop and arms the delayed
// update/connectionAck (§2.1: sent a while after traffic).
func (s *Session) received() {
	s.inSeq++
	if s.ackDue != nil {
		return
	}
	if s.ackTimer == nil {
		s.ackTimer = time.NewTimer(s.srv.cfg.AckDelay)
	} else {
		s.ackTimer.Reset(s.srv.cfg.AckDelay)
	}
	s.ackDue = s.ackTimer.C
}

// send encodes and sends one message, keeping it for a resume.
func (s *Session) send(ctx context.Context, m wc.WireMessage) error {
	b, err := wc.Encode(m)
	if err != nil {
		return fmt.Errorf("webclient: encode %s/%s: %w", m.Type, m.SubType, err)
	}
	if err := s.sendRaw(ctx, b, true); err != nil {
		return fmt.Errorf("webclient: send %s/%s: %w", m.Type, m.SubType, err)
	}
	return nil
}

// sendControl sends a message of the connection itself (connectionInfo,
// connectionAck, connectionDisconnect): it counts but is never replayed.
func (s *Session) sendControl(ctx context.Context, m wc.WireMessage) error {
	b, err := wc.Encode(m)
	if err != nil {
		return fmt.Errorf("webclient: encode %s/%s: %w", m.Type, m.SubType, err)
	}
	if err := s.sendRaw(ctx, b, false); err != nil {
		return fmt.Errorf("webclient: send %s/%s: %w", m.Type, m.SubType, err)
	}
	return nil
}

// sendRaw sends an encoded message as the units of the task (framing).
func (s *Session) sendRaw(ctx context.Context, b []byte, replay bool) error {
	units, err := s.framing.Frames(b)
	if err != nil {
		return err
	}
	for _, u := range units {
		if err := s.sendUnit(ctx, u, replay); err != nil {
			return err
		}
	}
	return nil
}

// sendUnit sends one unit. It takes its sequence number before it is sent,
// whether or not the send succeeds: a unit lost with the link is then
// replayed on resume.
func (s *Session) sendUnit(ctx context.Context, u []byte, replay bool) error {
	s.out.Add(u, replay)
	if err := s.ch.Send(ctx, u); err != nil {
		return fmt.Errorf("%w: %w", errLinkLost, err)
	}
	return nil
}
