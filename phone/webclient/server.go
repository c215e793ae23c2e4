package webclient

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// Config configures a Server.
type Config struct {
	// Logger receives structured logs; nil means the phone's logger.
	Logger *slog.Logger
	// Rand is the randomness of session keys and ids; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// ResumeMessages and ResumeBytes bound the unacknowledged messages a
	// connection keeps for resume (§2.3); past either the connection can no
	// longer be resumed. Zero means DefaultResumeMessages, DefaultResumeBytes.
	ResumeMessages, ResumeBytes int
	// ResumeWindow is how long a dropped connection stays resumable; zero
	// means DefaultResumeWindow.
	ResumeWindow time.Duration
	// AckDelay is how long after the desktop's traffic the phone sends
	// update/connectionAck; zero means DefaultAckDelay.
	AckDelay time.Duration
	// LikeAndroid makes the phone behave towards desktops like the Android
	// app on the WebRTC task (protocols.md §2.3a, docs/phone.md): it sends
	// the placeholder connection id, never sends connectionAck and ignores
	// the desktop's, so a desktop can be tested against the real app's
	// behaviour. Connections are then never resumed.
	LikeAndroid bool
	// RelayedData makes the phone offer only the Relayed Data task, as the
	// iOS app does: the Web protocol then travels through the signalling
	// server, chunked in 64 KiB, with connectionAck and resume (§2.1).
	RelayedData bool
}

// Server serves paired desktops for one phone. Its methods are safe for
// concurrent use; Close stops the active session and waits for it.
type Server struct {
	p   *phone.Phone
	cfg Config
	log *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	active *Session
	closed bool
	wg     sync.WaitGroup
	// changed is closed (and replaced) whenever a session starts or ends or
	// the stored sessions change: KeepConnected waits on it.
	changed chan struct{}
	// held are permanent sessions KeepConnected leaves alone: the desktop
	// said stop or disable. Cleared when a new session is paired.
	held map[string]bool
	// parked is the dropped connection that may be resumed, or nil.
	parked *parked
	// keeper admits one KeepConnected at a time.
	keeper chan struct{}
	// beforeEnded, when set (tests only), runs between a session's end and
	// ended clearing it.
	beforeEnded func()
}

// New returns a Server for p.
func New(p *phone.Phone, cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = p.Logger()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ResumeMessages <= 0 {
		cfg.ResumeMessages = DefaultResumeMessages
	}
	if cfg.ResumeBytes <= 0 {
		cfg.ResumeBytes = DefaultResumeBytes
	}
	if cfg.ResumeWindow <= 0 {
		cfg.ResumeWindow = DefaultResumeWindow
	}
	if cfg.AckDelay <= 0 {
		cfg.AckDelay = DefaultAckDelay
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{p: p, cfg: cfg, log: cfg.Logger.With("component", "webclient"), ctx: ctx, cancel: cancel,
		changed: make(chan struct{}), held: make(map[string]bool), keeper: make(chan struct{}, 1)}
}

// Close ends the active session and waits for its goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	s.dropParked("")
	return nil
}

// Active returns the active session, or nil.
func (s *Server) Active() *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active != nil && s.active.isDone() {
		return nil
	}
	return s.active
}

// Sessions lists the stored desktop sessions, the newest first.
func (s *Server) Sessions(ctx context.Context) ([]SessionInfo, error) {
	ds, err := s.p.Store().DesktopSessions(ctx)
	if err != nil {
		return nil, fmt.Errorf("webclient: sessions: %w", err)
	}
	act := s.Active()
	out := make([]SessionInfo, 0, len(ds))
	for _, d := range ds {
		out = append(out, infoOf(d, act != nil && act.id == d.ID))
	}
	return out, nil
}

// Revoke deletes a desktop session, closing it if it is active; it can no
// longer reconnect.
func (s *Server) Revoke(ctx context.Context, id string) error {
	if err := s.p.Store().DeleteDesktopSession(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("webclient: revoke: %w", ErrSessionNotFound)
		}
		return fmt.Errorf("webclient: revoke: %w", err)
	}
	s.mu.Lock()
	act := s.active
	if act != nil && act.id == id {
		s.active = nil
	}
	s.mu.Unlock()
	if act != nil && act.id == id {
		act.stop(wc.DisconnectDelete)
		<-act.done
	}
	s.dropParked(id)
	s.notify()
	s.log.Info("desktop session revoked", "session", id)
	return nil
}

// newSessionID returns 16 random hex digits.
func (s *Server) newSessionID() (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(s.cfg.Rand, b[:]); err != nil {
		return "", fmt.Errorf("webclient: session id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// activate makes sess the active session and starts its goroutines. With
// replace it closes the previous one; without, it refuses (errBusy) while
// another session is active.
func (s *Server) activate(sess *Session, replace bool) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		sess.closeLink()
		return ErrClosed
	}
	prev := s.active
	if prev != nil && prev.isDone() {
		prev = nil
	}
	if prev != nil && !replace {
		s.mu.Unlock()
		sess.closeLink()
		return errBusy
	}
	s.active = sess
	s.wg.Add(1)
	s.mu.Unlock()
	if prev != nil {
		prev.stop(wc.DisconnectReplace)
		<-prev.done
	}
	go func() {
		defer s.wg.Done()
		sess.run(s.ctx)
		if s.beforeEnded != nil {
			s.beforeEnded()
		}
		s.ended(sess)
	}()
	s.notify()
	return nil
}

// leaving applies what the desktop said when it left (§2.3), before the
// session's Done is closed: "delete" means it forgot the session, so the
// phone deletes it too; "stop" and "disable" mean it does not want the phone
// back, so KeepConnected holds off until a new session is paired (or this
// one is reconnected explicitly).
func (s *Server) leaving(sess *Session) {
	switch sess.peerReason {
	case wc.DisconnectDelete:
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := s.p.Store().DeleteDesktopSession(ctx, sess.id); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("deleting the session the desktop deleted", "session", sess.id, "err", err)
		}
		cancel()
	case wc.DisconnectStop, wc.DisconnectDisable:
		s.mu.Lock()
		s.held[sess.id] = true
		s.mu.Unlock()
	}
}

// ended clears the active session once sess is over.
func (s *Server) ended(sess *Session) {
	s.mu.Lock()
	if s.active == sess {
		s.active = nil
	}
	s.mu.Unlock()
	s.notify()
}

// notify wakes everything waiting on s.changed.
func (s *Server) notify() {
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// changes returns the channel the next notify closes.
func (s *Server) changes() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// SessionInfo describes a desktop session without its keys.
type SessionInfo struct {
	// ID names the session.
	ID string `json:"id"`
	// Permanent sessions may reconnect without a new QR code.
	Permanent bool `json:"permanent"`
	// Label is a name for people.
	Label string `json:"label,omitempty"`
	// Active is true while the desktop is connected.
	Active bool `json:"active"`
	// CreatedAt is when it was paired; LastSeen when it last connected.
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
}

func infoOf(d store.DesktopSession, active bool) SessionInfo {
	return SessionInfo{ID: d.ID, Permanent: d.Permanent, Label: d.Label, Active: active, CreatedAt: d.CreatedAt, LastSeen: d.LastSeen}
}
