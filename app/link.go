package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/vault"
	"github.com/kurier/kurier/internal/buildinfo"
	"github.com/kurier/kurier/protocol/cryptobox"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// Link states shown by the connection indicator. The set is mirrored as a
// literal union in frontend/src/bridge/types.ts.
const (
	// LinkUnpaired: no phone is paired with this computer (a pairing code
	// may be on screen).
	LinkUnpaired = "unpaired"
	// LinkLocked: a remembered session waits for its password.
	LinkLocked = "locked"
	// LinkConnecting: a pairing or reconnect handshake is under way.
	LinkConnecting = "connecting"
	// LinkConnected: the encrypted data channel to the phone is open.
	LinkConnected = "connected"
	// LinkDisconnected: the paired phone is unreachable; the app keeps trying.
	LinkDisconnected = "disconnected"
)

// LinkStates lists every link state.
func LinkStates() []string {
	return []string{LinkUnpaired, LinkLocked, LinkConnecting, LinkConnected, LinkDisconnected}
}

// Worlds the desktop can live in.
const (
	// WorldDemo: the embedded local demo world (backend and phone in-process).
	WorldDemo = "demo"
	// WorldExternal: a backend given by backend.json and a separate phone.
	WorldExternal = "external"
)

// Worlds lists every world.
func Worlds() []string { return []string{WorldDemo, WorldExternal} }

// Link timing.
const (
	// DefaultUnreachableNotice is how long the phone must be gone before the
	// OS notification says so.
	DefaultUnreachableNotice = 30 * time.Second
	backoffMin               = 500 * time.Millisecond
	backoffMax               = 15 * time.Second
	// MinPasswordBytes is the shortest password "remember this computer" accepts.
	MinPasswordBytes = 8
)

// Keys of single values in the store.
const (
	kvVault   = "vault"
	kvSession = "session"
)

// LinkStatus is the state of the link to the phone.
type LinkStatus struct {
	// State is one of LinkStates.
	State string `json:"state"`
	// Since is when the link entered State, in Unix milliseconds.
	Since int64 `json:"since"`
	// World is "demo" or "external".
	World string `json:"world"`
	// PairingCode is the QR payload while a pairing waits for the phone.
	PairingCode string `json:"pairingCode"`
	// Remembered: an encrypted session is stored on this computer.
	Remembered bool `json:"remembered"`
	// Locked: the remembered session waits for its password.
	Locked bool `json:"locked"`
	// Phone is the paired phone's Threema ID, once known.
	Phone string `json:"phone"`
	// Error is the last problem, for people ("" when none).
	Error string `json:"error"`
}

// LinkService is bound to the UI: it pairs with the phone, remembers the
// session when asked to, keeps the link alive and reports its state with
// EventLinkStatus.
type LinkService struct {
	ses      *session
	nodes    phonelink.Nodes // the signaling nodes; empty: no signaling server
	world    string
	rnd      io.Reader
	notifier Notifier
	autoPair func(ctx context.Context, code string) error
	log      *slog.Logger
	now      func() time.Time
	// vaultCost is the scrypt cost (log2 N) of new vaults; 0 = default.
	vaultCost uint8
	// unreachable is how long the phone may be gone before a notification.
	unreachable time.Duration

	// opMu serialises StartPairing, Unlock and Forget: each stops the
	// background task and may start another.
	opMu sync.Mutex
	// failures counts wrong passwords in a row; each costs a growing pause.
	failures int

	mu     sync.Mutex
	status LinkStatus
	stop   context.CancelFunc
	done   chan struct{}
	vault  *vault.Vault
}

// Status returns the current link state.
func (l *LinkService) Status() (LinkStatus, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status, nil
}

// setState changes the state (and Since when it differs) and announces it.
func (l *LinkService) update(fn func(*LinkStatus)) {
	l.mu.Lock()
	prev := l.status.State
	fn(&l.status)
	if l.status.State != prev {
		l.status.Since = l.now().UnixMilli()
	}
	st := l.status
	l.mu.Unlock()
	l.ses.hub.Publish(EventLinkStatus, st)
}

// boot decides the first state: locked when a session is remembered, else
// unpaired with an empty cache (nothing of an unremembered session
// survives a restart) and a pairing code on screen; in the demo world the
// phone scans it by itself.
func (l *LinkService) boot(ctx context.Context) error {
	_, err := l.ses.store.Value(ctx, kvVault)
	switch {
	case err == nil:
		l.status = LinkStatus{State: LinkLocked, Since: l.now().UnixMilli(), World: l.world, Remembered: true, Locked: true}
		return nil
	case !isNotFound(err):
		return fmt.Errorf("app: %w", err)
	}
	if err := l.ses.clear(ctx, kvSession); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	l.status = LinkStatus{State: LinkUnpaired, Since: l.now().UnixMilli(), World: l.world}
	if len(l.nodes) > 0 {
		// Show a pairing code at once, as Threema Web does; choosing
		// "remember this computer" makes a new one.
		if _, err := l.StartPairing(PairingOptions{}); err != nil {
			return err
		}
	}
	return nil
}

// StartPairing forgets any previous pairing, creates a new key and a
// one-time token and waits for the phone to scan the pairing code. With
// Remember, the session and the cache are encrypted with Password.
func (l *LinkService) StartPairing(opts PairingOptions) (LinkStatus, error) {
	if len(l.nodes) == 0 {
		return LinkStatus{}, fmt.Errorf("%w: no signaling server is configured", ErrInvalid)
	}
	if opts.Remember && len(opts.Password) < MinPasswordBytes {
		return LinkStatus{}, fmt.Errorf("%w: the password needs at least %d characters", ErrInvalid, MinPasswordBytes)
	}
	if len(opts.Password) > vault.MaxPasswordBytes {
		return LinkStatus{}, fmt.Errorf("%w: the password is too long", ErrInvalid)
	}
	l.opMu.Lock()
	defer l.opMu.Unlock()
	l.halt(wc.DisconnectStop)
	ctx := l.ses.ctx
	if err := l.ses.clear(ctx, kvVault, kvSession); err != nil {
		return LinkStatus{}, fmt.Errorf("app: %w", err)
	}
	l.ses.store.SetSealer(nil)
	var v *vault.Vault
	if opts.Remember {
		var rec []byte
		var err error
		if v, rec, err = vault.Create(l.rnd, opts.Password, l.vaultCost); err != nil {
			return LinkStatus{}, fmt.Errorf("app: %w", err)
		}
		if err := l.ses.store.SetValue(ctx, kvVault, rec); err != nil {
			return LinkStatus{}, fmt.Errorf("app: %w", err)
		}
		l.ses.store.SetSealer(v.NewSealer(vault.PurposeCache, l.rnd))
	}
	// The new key chooses the signaling node; the code names it.
	offer, err := phonelink.NewOfferOn(l.nodes, cryptobox.KeyPair{}, true, l.rnd)
	if err != nil {
		return LinkStatus{}, fmt.Errorf("app: %w", err)
	}
	l.mu.Lock()
	l.vault = v
	l.mu.Unlock()
	l.update(func(s *LinkStatus) {
		*s = LinkStatus{State: LinkUnpaired, Since: s.Since, World: l.world, PairingCode: offer.Code, Remembered: opts.Remember}
		if l.autoPair != nil {
			// The demo phone scans the code by itself: no pairing screen
			// for the moment that takes, unless it fails.
			s.State, s.PairingCode = LinkConnecting, ""
		}
	})
	l.launch(func(ctx context.Context) { l.pair(ctx, offer) })
	if l.autoPair != nil {
		go func() {
			if err := l.autoPair(ctx, offer.Code); err != nil && ctx.Err() == nil {
				l.log.Warn("automatic pairing with the demo phone failed", "err", err)
				l.update(func(s *LinkStatus) {
					if s.State == LinkConnecting && s.Phone == "" {
						s.State, s.PairingCode = LinkUnpaired, offer.Code // scan it with another phone
					}
					s.Error = err.Error()
				})
			}
		}()
	}
	return l.Status()
}

// Unlock opens the remembered session with password and reconnects to the
// phone without a pairing code.
func (l *LinkService) Unlock(password string) (LinkStatus, error) {
	l.opMu.Lock()
	defer l.opMu.Unlock()
	if st, _ := l.Status(); !st.Locked {
		return st, nil // already unlocked (another tab did it)
	}
	ctx := l.ses.ctx
	rec, err := l.ses.store.Value(ctx, kvVault)
	if isNotFound(err) {
		return LinkStatus{}, ErrNoSession
	}
	if err != nil {
		return LinkStatus{}, fmt.Errorf("app: %w", err)
	}
	v, err := vault.Unlock(rec, password)
	if errors.Is(err, vault.ErrWrongPassword) || errors.Is(err, vault.ErrPassword) {
		// Each wrong password in a row costs a longer pause (up to 5 s) on
		// top of scrypt, so guessing through the bridge stays slow.
		l.failures++
		l.log.Info("unlock refused: wrong password", "in_a_row", l.failures)
		sleep(ctx, min(time.Duration(l.failures)*250*time.Millisecond, 5*time.Second))
		return LinkStatus{}, ErrWrongPassword
	}
	l.failures = 0
	if err != nil {
		return LinkStatus{}, fmt.Errorf("app: %w", err)
	}
	key, peer, err := openSession(ctx, l.ses.store, v)
	if err != nil {
		return LinkStatus{}, err
	}
	l.halt("")
	l.ses.store.SetSealer(v.NewSealer(vault.PurposeCache, l.rnd))
	l.mu.Lock()
	l.vault = v
	l.mu.Unlock()
	if err := l.ses.loadCache(ctx); err != nil {
		return LinkStatus{}, err
	}
	l.update(func(s *LinkStatus) {
		*s = LinkStatus{State: LinkConnecting, Since: s.Since, World: l.world, Remembered: true, Phone: l.ses.self()}
	})
	l.launch(func(ctx context.Context) { l.keepLinked(ctx, key, peer, nil) })
	return l.Status()
}

// Forget ends the link, tells the phone to delete the session and removes
// everything this computer kept: the remembered session, its password's
// vault and the cache.
func (l *LinkService) Forget() (LinkStatus, error) {
	l.opMu.Lock()
	defer l.opMu.Unlock()
	l.halt(wc.DisconnectDelete)
	ctx := l.ses.ctx
	if err := l.ses.clear(ctx, kvVault, kvSession); err != nil {
		return LinkStatus{}, fmt.Errorf("app: %w", err)
	}
	l.ses.store.SetSealer(nil)
	if err := l.ses.store.Vacuum(ctx); err != nil {
		l.log.Warn("vacuum after forgetting failed", "err", err)
	}
	l.mu.Lock()
	l.vault = nil
	l.mu.Unlock()
	l.update(func(s *LinkStatus) { *s = LinkStatus{State: LinkUnpaired, Since: s.Since, World: l.world} })
	l.log.Info("pairing forgotten")
	return l.Status()
}

// launch runs fn as the link's one background task.
func (l *LinkService) launch(fn func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(l.ses.ctx)
	done := make(chan struct{})
	l.mu.Lock()
	l.stop, l.done = cancel, done
	l.mu.Unlock()
	go func() {
		defer close(done)
		fn(ctx)
	}()
}

// halt stops the background task and closes the connection, saying
// goodbye with reason (none when empty).
func (l *LinkService) halt(reason wc.DisconnectReason) {
	l.mu.Lock()
	stop, done := l.stop, l.done
	l.stop, l.done = nil, nil
	l.mu.Unlock()
	if conn, err := l.ses.current(); err == nil {
		_ = conn.Close(reason)
	}
	if stop != nil {
		stop()
		<-done
	}
}

// pair waits for the phone to use the offer, then keeps the link.
func (l *LinkService) pair(ctx context.Context, offer phonelink.Offer) {
	delay := backoffMin
	for {
		conn, err := phonelink.Dial(ctx, phonelink.DialConfig{Server: offer.Server, Key: offer.Key, Token: &offer.Token, Logger: l.log})
		if err == nil {
			peer := conn.PeerKey()
			l.mu.Lock()
			v := l.vault
			l.mu.Unlock()
			if v != nil {
				if err := sealSession(ctx, l.ses.store, v, l.rnd, offer.Key, peer); err != nil {
					l.log.Error("remembering the session failed", "err", err)
				}
			}
			l.log.Info("paired with the phone")
			l.keepLinked(ctx, offer.Key, peer, conn)
			return
		}
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("pairing attempt failed", "err", err)
		l.update(func(s *LinkStatus) { s.Error = err.Error() })
		if !sleep(ctx, jitter(delay)) {
			return
		}
		delay = min(2*delay, backoffMax)
	}
}

// keepLinked serves conn (when not nil) and reconnects in trusted-key mode
// whenever the link drops, with back-off, until ctx ends or the phone
// deletes the session.
func (l *LinkService) keepLinked(ctx context.Context, key cryptobox.KeyPair, peer cryptobox.PublicKey, conn *phonelink.Conn) {
	delay := backoffMin
	var lostAt time.Time
	notified := false
	var prev *phonelink.ResumeState // what the dropped connection left for a resume
	defer func() { prev.Abandon() }()
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if conn != nil {
			delay = backoffMin
			if timer != nil {
				timer.Stop()
			}
			if notified {
				l.notify(noticeBack)
				notified = false
			}
			l.update(func(s *LinkStatus) { s.State, s.Error, s.PairingCode, s.Locked = LinkConnected, "", "", false })
			err := l.ses.attach(ctx, conn)
			l.update(func(s *LinkStatus) { s.Phone = l.ses.self() })
			_ = conn.Close("")
			prev = conn.ResumeState()
			conn = nil
			if ctx.Err() != nil {
				return
			}
			if isDeleteReason(err) {
				l.log.Info("the phone deleted this session")
				go func() { _, _ = l.Forget() }()
				return
			}
			l.log.Info("link to the phone lost", "err", err)
			lostAt = l.now()
			l.update(func(s *LinkStatus) { s.State = LinkDisconnected })
			timer = time.AfterFunc(l.unreachable, func() {
				if st, _ := l.Status(); st.State != LinkConnected && ctx.Err() == nil {
					l.notify(noticeLost)
				}
			})
			notified = false
		}
		var err error
		conn, err = phonelink.Dial(ctx, phonelink.DialConfig{Server: l.nodes.For(key.Public), Key: key, TrustedPeer: peer, Logger: l.log, Resume: prev})
		if err == nil {
			prev = nil // adopted by the resumed connection, or abandoned for a fresh one
			if conn.Resumed() {
				l.log.Info("link resumed")
			}
			notified = !lostAt.IsZero() && l.now().Sub(lostAt) >= l.unreachable
			continue
		}
		if ctx.Err() != nil {
			return
		}
		l.log.Info("reconnect attempt failed", "err", err)
		l.update(func(s *LinkStatus) {
			if s.State != LinkDisconnected {
				s.State = LinkDisconnected
			}
			s.Error = err.Error()
		})
		if !sleep(ctx, jitter(delay)) {
			return
		}
		delay = min(2*delay, backoffMax)
	}
}

func isDeleteReason(err error) bool {
	var d *phonelink.DisconnectError
	return errors.As(err, &d) && d.Reason == wc.DisconnectDelete
}

// Link notifications.
const (
	noticeLost = "Your phone has been unreachable for a while. Kurier keeps trying to reach it."
	noticeBack = "Your phone is reachable again."
)

// notify shows a link notification through the OS.
func (l *LinkService) notify(body string) {
	if l.notifier == nil {
		return
	}
	if err := l.notifier.Notify(buildinfo.ProductName, body); err != nil {
		l.log.Debug("notification not shown", "err", err)
	}
}

func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d)/2+1))
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// close stops the link (without telling the phone to forget us).
func (l *LinkService) close() { l.halt("") }
