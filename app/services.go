package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/kurier/kurier/app/store"
)

// databaseFile is the local store's file name inside the profile directory.
const databaseFile = "kurier.db"

// Config selects the profile and display mode of a desktop client.
type Config struct {
	// DataDir is the profile directory; it is created (mode 0700) if missing.
	DataDir string
	// Mode is ModeWindow or ModeWeb.
	Mode string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
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
	// Link reports the state of the link to the phone.
	Link *LinkService

	store *store.Store
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
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("app: create data directory: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(cfg.DataDir, databaseFile))
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	hub := NewHub()
	return &Services{
		Hub:      hub,
		About:    NewAboutService(cfg.Mode),
		Settings: NewSettingsService(ctx, st, hub, log),
		Link:     NewLinkService(hub, now),
		store:    st,
	}, nil
}

// Bindings lists the services exposed to the UI. Wails binds exactly these,
// and web mode serves exactly these, so both transports offer the same API.
func (s *Services) Bindings() []any {
	return []any{s.About, s.Settings, s.Link}
}

// Close releases the local store.
func (s *Services) Close() error {
	if err := s.store.Close(); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}
