// Package world is Kurier's embedded demo world: a whole backend (directory,
// chat, blob and signaling servers) and the user's virtual phone, with an
// echo bot, a chatty bot and a demo group where both answer (not each
// other), all inside the desktop process on
// loopback. The desktop pairs with the phone by itself, so a new user chats
// within seconds. It is the only place where app/ reaches into backend/ and
// phone/ (DESIGN.md).
package world

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kurier/kurier/backend"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/bot"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/provisioning"
)

// Timing of the world.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 20 * time.Second
	// chattyPause is how long the chatty bot "types" before it answers.
	chattyPause = 1500 * time.Millisecond
)

// Nicknames of the demo world's phones.
const (
	UserNickname   = "You"
	EchoNickname   = "Echo"
	ChattyNickname = "Chatty"
	// GroupName is the demo group's name.
	GroupName = "Kurier demo"
)

// Config configures the world.
type Config struct {
	// DataDir holds the backend and the phones (created if missing).
	DataDir string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// World is a running demo world.
type World struct {
	log      *slog.Logger
	backend  *backend.Backend
	prov     *provisioning.File
	user     *phone.Phone
	bots     []*phone.Phone
	desktops *webclient.Server

	cancel context.CancelFunc
	wg     sync.WaitGroup
	errMu  sync.Mutex
	errs   []error
}

// Start brings the world up: on the first start it creates the phones, their
// contacts, the group and some history; later starts reuse them.
func Start(ctx context.Context, cfg Config) (_ *World, err error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "world")
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("world: %w", err)
	}
	rctx, cancel := context.WithCancel(context.Background())
	w := &World{log: log, cancel: cancel}
	defer func() {
		if err != nil {
			_ = w.Close()
		}
	}()
	bdir := filepath.Join(cfg.DataDir, "backend")
	b, err := backend.New(backend.Config{DataDir: bdir, ChatAddr: "127.0.0.1:0", SignalingAddr: "127.0.0.1:0",
		DirectoryAddr: "127.0.0.1:0", BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0", Logger: log.With("part", "backend")})
	if err != nil {
		return nil, fmt.Errorf("world: %w", err)
	}
	w.backend = b
	w.spawn("backend", func() error { return b.Run(rctx) })
	backendFile := filepath.Join(bdir, backend.ProvisioningFile)
	sctx, scancel := context.WithTimeout(ctx, startTimeout)
	defer scancel()
	if err := waitFile(sctx, backendFile); err != nil {
		return nil, fmt.Errorf("world: backend: %w", err)
	}
	if w.prov, err = provisioning.Load(backendFile); err != nil {
		return nil, fmt.Errorf("world: %w", err)
	}
	fresh := false
	open := func(name, nickname string) (*phone.Phone, error) {
		dir := filepath.Join(cfg.DataDir, name)
		p, created, err := openPhone(sctx, dir, backendFile, nickname, log.With("part", name))
		if err != nil {
			return nil, fmt.Errorf("world: %s: %w", name, err)
		}
		fresh = fresh || created
		w.spawn(name, func() error { return p.Run(rctx) })
		if err := p.WaitSynced(sctx); err != nil {
			return nil, fmt.Errorf("world: %s: %w", name, err)
		}
		return p, nil
	}
	if w.user, err = open("phone", UserNickname); err != nil {
		return nil, err
	}
	echo, err := open("echo", EchoNickname)
	if err != nil {
		return nil, err
	}
	w.bots = append(w.bots, echo)
	chatty, err := open("chatty", ChattyNickname)
	if err != nil {
		return nil, err
	}
	w.bots = append(w.bots, chatty)
	// Both bots answer in the demo group; each ignores the other, or they
	// would answer each other without end.
	w.spawn("echo bot", func() error {
		return bot.Echo(rctx, echo, log.With("part", "echo"), bot.IgnoreBots(chatty.ID()))
	})
	w.spawn("chatty bot", func() error {
		return bot.Chatty(rctx, chatty, log.With("part", "chatty"), chattyPause, bot.IgnoreBots(echo.ID()))
	})
	if fresh {
		if err := w.populate(sctx, echo, chatty); err != nil {
			return nil, err
		}
	}
	w.desktops = webclient.New(w.user, webclient.Config{Logger: log.With("part", "webclient")})
	w.spawn("desktop link", func() error { w.desktops.KeepConnected(rctx); return nil })
	log.Info("demo world running", "phone", w.user.ID())
	return w, nil
}

// openPhone opens the phone in dir, creating its identity on first use. The
// backend's addresses change on every start (it listens on free ports), so
// the phone's copy of backend.json is refreshed each time; its keys persist.
func openPhone(ctx context.Context, dir, backendFile, nickname string, log *slog.Logger) (*phone.Phone, bool, error) {
	created := false
	if _, err := os.Stat(filepath.Join(dir, phone.DatabaseFile)); errors.Is(err, os.ErrNotExist) {
		if _, err := phone.Init(ctx, dir, backendFile, nickname, phone.WithLogger(log)); err != nil {
			return nil, false, err
		}
		created = true
	} else if err != nil {
		return nil, false, err
	} else {
		b, err := os.ReadFile(backendFile)
		if err != nil {
			return nil, false, err
		}
		if err := os.WriteFile(filepath.Join(dir, phone.BackendFile), b, 0o600); err != nil {
			return nil, false, err
		}
	}
	p, err := phone.Open(ctx, dir, phone.WithLogger(log))
	return p, created, err
}

// groupHistory is what the bots say in the demo group when it is created,
// in order.
var groupHistory = []struct {
	chatty bool // else the echo bot
	text   string
}{
	{true, "Welcome to the Kurier demo group! Everything written here goes to each member, end-to-end encrypted for each of them."},
	{false, "Hi all! In this group I repeat whatever someone writes, so you can watch a group message go round."},
	{true, "And I answer every text here, quoting it. Write something, or right-click your message to edit it or delete it for everyone."},
}

// populate makes the bots the user's contacts, creates the demo group and
// writes a little history, in the 1:1 chats and in the group. It runs on a
// world's first start only; a world created before the group had history
// keeps its group as it is.
func (w *World) populate(ctx context.Context, echo, chatty *phone.Phone) error {
	u := w.user
	for _, step := range []func() error{
		func() error { _, err := u.AddContact(ctx, echo.ID()); return err },
		func() error { _, err := u.AddContact(ctx, chatty.ID()); return err },
		func() error { _, err := u.SetContactName(ctx, echo.ID(), "Echo bot", ""); return err },
		func() error { _, err := u.SetContactName(ctx, chatty.ID(), "Chatty bot", ""); return err },
		func() error { _, err := echo.AddContact(ctx, u.ID()); return err },
		func() error { _, err := chatty.AddContact(ctx, u.ID()); return err },
		func() error { _, err := chatty.AddContact(ctx, echo.ID()); return err },
		func() error {
			_, err := chatty.SendText(ctx, u.ID(), "Welcome to Kurier! This is the local demo world: everything runs on your computer.")
			return err
		},
		func() error {
			_, err := echo.SendText(ctx, u.ID(), "Hi, I am the echo bot. Send me a text or a file and I send it straight back.")
			return err
		},
	} {
		if err := step(); err != nil {
			return fmt.Errorf("world: populate: %w", err)
		}
	}
	if err := w.populateGroup(ctx, echo, chatty); err != nil {
		return fmt.Errorf("world: populate: %w", err)
	}
	return nil
}

// populateGroup creates the demo group and lets the bots write its history:
// each bot waits until it knows the group, and each message until it has
// reached the user's phone, so that the history reads in order.
func (w *World) populateGroup(ctx context.Context, echo, chatty *phone.Phone) error {
	u := w.user
	g, err := u.CreateGroup(ctx, GroupName, []string{echo.ID(), chatty.ID()})
	if err != nil {
		return err
	}
	for _, b := range []*phone.Phone{echo, chatty} {
		if err := poll(ctx, func() (bool, error) {
			_, err := b.Group(ctx, g.Creator, g.ID)
			if errors.Is(err, store.ErrNotFound) {
				return false, nil
			}
			return err == nil, err
		}); err != nil {
			return fmt.Errorf("%s never learned of the group: %w", b.ID(), err)
		}
	}
	for i, h := range groupHistory {
		from := echo
		if h.chatty {
			from = chatty
		}
		if _, err := from.SendGroupText(ctx, g.Creator, g.ID, h.text); err != nil {
			return err
		}
		if err := poll(ctx, func() (bool, error) {
			ms, err := u.Store().Messages(ctx, g.Key(), 0, len(groupHistory))
			return len(ms) > i, err
		}); err != nil {
			return fmt.Errorf("the group history never arrived: %w", err)
		}
	}
	return nil
}

// poll calls done until it is true or fails, or ctx ends.
func poll(ctx context.Context, done func() (bool, error)) error {
	for {
		ok, err := done()
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Signaling is the signaling server the desktop pairs through.
func (w *World) Signaling() *provisioning.Signaling { return w.prov.Signaling }

// Phone is the user's virtual phone.
func (w *World) Phone() *phone.Phone { return w.user }

// Pair lets the user's phone scan a pairing code: earlier desktop sessions
// are revoked (the desktop pairs anew on every start) and the new one is
// connected.
func (w *World) Pair(ctx context.Context, code string) error {
	sessions, err := w.desktops.Sessions(ctx)
	if err != nil {
		return fmt.Errorf("world: pair: %w", err)
	}
	for _, s := range sessions {
		if err := w.desktops.Revoke(ctx, s.ID); err != nil {
			return fmt.Errorf("world: pair: %w", err)
		}
	}
	if _, err := w.desktops.Pair(ctx, code); err != nil {
		return fmt.Errorf("world: pair: %w", err)
	}
	return nil
}

func (w *World) spawn(name string, fn func() error) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		if err := fn(); err != nil && !errors.Is(err, context.Canceled) {
			w.log.Error("part of the demo world stopped", "part", name, "err", err)
			w.errMu.Lock()
			w.errs = append(w.errs, fmt.Errorf("%s: %w", name, err))
			w.errMu.Unlock()
		}
	}()
}

// Close stops everything and waits for it.
func (w *World) Close() error {
	if w.desktops != nil {
		_ = w.desktops.Close()
	}
	w.cancel()
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(stopTimeout):
		return errors.New("world: did not stop in time")
	}
	for _, p := range append([]*phone.Phone{w.user}, w.bots...) {
		if p != nil {
			_ = p.Close()
		}
	}
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return errors.Join(w.errs...)
}

func waitFile(ctx context.Context, path string) error {
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
