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
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{p: p, cfg: cfg, log: cfg.Logger.With("component", "webclient"), ctx: ctx, cancel: cancel}
}

// Close ends the active session and waits for its goroutines.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
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

// activate makes sess the active session (closing the previous one) and
// starts its goroutines.
func (s *Server) activate(sess *Session) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		sess.closeLink()
		return ErrClosed
	}
	prev := s.active
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
		s.mu.Lock()
		if s.active == sess {
			s.active = nil
		}
		s.mu.Unlock()
	}()
	return nil
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
