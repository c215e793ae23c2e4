package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/search"
	"github.com/kurier/kurier/app/store"
	"github.com/kurier/kurier/protocol/provisioning"
)

// databaseFile is the local store's file name inside the profile directory.
const databaseFile = "kurier.db"

// Config selects the profile, the display mode and the world of a desktop client.
type Config struct {
	// DataDir is the profile directory; it is created (mode 0700) if missing.
	DataDir string
	// Mode is ModeWindow or ModeWeb.
	Mode string
	// Signaling is the signaling server of the backend (backend.json); nil
	// leaves the app unable to pair. With several nodes the desktop pairs
	// and reconnects through the node its permanent key selects
	// (provisioning.NodeIndex).
	Signaling *provisioning.Signaling
	// World is WorldDemo or WorldExternal ("" = external).
	World string
	// AutoPair, when set, is handed every pairing code as soon as it exists
	// (the embedded demo world's phone scans it by itself).
	AutoPair func(ctx context.Context, code string) error
	// Notifier shows OS notifications; nil shows none.
	Notifier Notifier
	// Saver asks where to save a file (the window's Save dialog); nil in
	// web mode, where the browser downloads files itself.
	Saver FileSaver
	// VaultCost is the scrypt cost (log2 N) of new password vaults; 0 = 15.
	VaultCost uint8
	// UnreachableNotice is how long the phone may be unreachable before an
	// OS notification says so (0 = DefaultUnreachableNotice).
	UnreachableNotice time.Duration
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the randomness; nil means crypto/rand.
	Rand io.Reader
}

// Services is the set of services bound to the UI, built once per process
// with explicit dependencies.
type Services struct {
	// Hub streams events to every connected UI.
	Hub *Hub
	// About reports name, version and mode.
	About *AboutService
	// Settings reads and writes preferences.
	Settings *SettingsService
	// Link pairs with the phone and reports the state of the link.
	Link *LinkService
	// Chat serves conversations, messages, drafts and search.
	Chat *ChatService
	// People serves contacts, groups, lists and the profile.
	People *PeopleService
	// Notifications shows OS notifications for the UI.
	Notifications *NotificationService

	store *store.Store
	index *search.Index
}

// Start opens the profile in cfg.DataDir and builds every service. ctx bounds
// the services' work; Close releases what Start opened.
func Start(ctx context.Context, cfg Config) (*Services, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("app: no data directory")
	}
	if cfg.Mode != ModeWindow && cfg.Mode != ModeWeb {
		return nil, fmt.Errorf("app: unknown mode %q", cfg.Mode)
	}
	if cfg.World == "" {
		cfg.World = WorldExternal
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	rnd := cfg.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	var nodes phonelink.Nodes
	if cfg.Signaling != nil {
		var err error
		if nodes, err = phonelink.NodesFrom(cfg.Signaling); err != nil {
			return nil, fmt.Errorf("app: %w", err)
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("app: create data directory: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(cfg.DataDir, databaseFile))
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	index, err := search.New(ctx)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("app: %w", err)
	}
	hub := NewHub()
	ses := &session{ctx: ctx, store: st, index: index, hub: hub, log: log, now: now, limits: defaultLimits(), outboxWake: make(chan struct{}, 1),
		receivers: Receivers{Contacts: []Contact{}, Groups: []Group{}, DistributionLists: []DistributionList{}}}
	link := &LinkService{ses: ses, nodes: nodes, world: cfg.World, rnd: rnd, notifier: cfg.Notifier, autoPair: cfg.AutoPair,
		log: log.With("component", "link"), now: now, vaultCost: cfg.VaultCost, unreachable: cfg.UnreachableNotice}
	if link.unreachable <= 0 {
		link.unreachable = DefaultUnreachableNotice
	}
	s := &Services{
		Hub:           hub,
		About:         NewAboutService(cfg.Mode),
		Settings:      NewSettingsService(ctx, st, hub, log),
		Link:          link,
		Chat:          &ChatService{ses: ses, saver: cfg.Saver},
		People:        &PeopleService{ses: ses},
		Notifications: &NotificationService{notifier: cfg.Notifier},
		store:         st,
		index:         index,
	}
	if err := link.boot(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Bindings lists the services exposed to the UI. Wails binds exactly these,
// and web mode serves exactly these, so both transports offer the same API.
func (s *Services) Bindings() []any {
	return []any{s.About, s.Settings, s.Link, s.Chat, s.People, s.Notifications}
}

// Close stops the link and releases the local store.
func (s *Services) Close() error {
	s.Link.close()
	s.Link.ses.haltRebuild()
	_ = s.index.Close()
	if err := s.store.Close(); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}
