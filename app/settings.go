package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/kurier/kurier/app/store"
)

// Theme choices offered to the user. ThemeSystem follows the OS preference.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Language choices. LanguageSystem follows the OS (browser) locale.
const (
	LanguageSystem  = "system"
	LanguageEnglish = "en"
	LanguageGerman  = "de"
)

// Settings keys in the store.
const (
	settingTheme         = "theme"
	settingLanguage      = "language"
	settingNotifications = "notifications"
	settingSound         = "sound"
	settingPreview       = "preview"
)

// Boolean preference values in the store.
const (
	valueOn  = "on"
	valueOff = "off"
)

// Themes lists the allowed theme values.
func Themes() []string { return []string{ThemeSystem, ThemeLight, ThemeDark} }

// Languages lists the allowed language values.
func Languages() []string { return []string{LanguageSystem, LanguageEnglish, LanguageGerman} }

// Settings are the user's preferences as the UI sees them.
type Settings struct {
	// Theme is "system", "light" or "dark".
	Theme string `json:"theme"`
	// Language is "system", "en" or "de".
	Language string `json:"language"`
	// Notifications shows desktop notifications for new messages while the
	// window is not focused.
	Notifications bool `json:"notifications"`
	// Sound plays a sound with each notification.
	Sound bool `json:"sound"`
	// Preview shows the sender and message text in notifications; off, a
	// notification says only that a message arrived.
	Preview bool `json:"preview"`
}

// DefaultSettings are used for every preference the user has not set.
func DefaultSettings() Settings {
	return Settings{Theme: ThemeSystem, Language: LanguageSystem, Notifications: true, Sound: true, Preview: true}
}

// SettingsService is bound to the UI: it reads and changes preferences and
// announces each change with EventSettingsChanged.
type SettingsService struct {
	ctx   context.Context
	store *store.Store
	hub   *Hub
	log   *slog.Logger
	mu    sync.Mutex // serialises read-modify-write of preferences
}

// NewSettingsService returns the service; ctx bounds its store calls.
func NewSettingsService(ctx context.Context, st *store.Store, hub *Hub, log *slog.Logger) *SettingsService {
	return &SettingsService{ctx: ctx, store: st, hub: hub, log: log.With("component", "settings")}
}

// Get returns the current preferences, with defaults for unset ones.
func (s *SettingsService) Get() (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}

// SetTheme stores the theme ("system", "light" or "dark") and returns the new preferences.
func (s *SettingsService) SetTheme(theme string) (Settings, error) {
	return s.set(settingTheme, theme, Themes())
}

// SetLanguage stores the language ("system", "en" or "de") and returns the new preferences.
func (s *SettingsService) SetLanguage(language string) (Settings, error) {
	return s.set(settingLanguage, language, Languages())
}

// SetNotifications turns desktop notifications on or off and returns the new preferences.
func (s *SettingsService) SetNotifications(on bool) (Settings, error) {
	return s.set(settingNotifications, onOff(on), []string{valueOn, valueOff})
}

// SetSound turns the notification sound on or off and returns the new preferences.
func (s *SettingsService) SetSound(on bool) (Settings, error) {
	return s.set(settingSound, onOff(on), []string{valueOn, valueOff})
}

// SetPreview turns message previews in notifications on or off and returns the new preferences.
func (s *SettingsService) SetPreview(on bool) (Settings, error) {
	return s.set(settingPreview, onOff(on), []string{valueOn, valueOff})
}

func onOff(on bool) string {
	if on {
		return valueOn
	}
	return valueOff
}

func (s *SettingsService) set(key, value string, allowed []string) (Settings, error) {
	if !slices.Contains(allowed, value) {
		return Settings{}, fmt.Errorf("%w: %s must be one of %v, not %q", ErrInvalidSetting, key, allowed, value)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.store.SetSetting(s.ctx, key, value); err != nil {
		return Settings{}, fmt.Errorf("app: save %s: %w", key, err)
	}
	cur, err := s.load()
	if err != nil {
		return Settings{}, err
	}
	s.log.Info("preference changed", "key", key, "value", value)
	s.hub.Publish(EventSettingsChanged, cur)
	return cur, nil
}

func (s *SettingsService) load() (Settings, error) {
	cur := DefaultSettings()
	get := func(key string) (string, bool, error) {
		v, err := s.store.Setting(s.ctx, key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return "", false, nil
		case err != nil:
			return "", false, fmt.Errorf("app: load settings: %w", err)
		}
		return v, true, nil
	}
	for key, dst := range map[string]*string{settingTheme: &cur.Theme, settingLanguage: &cur.Language} {
		v, ok, err := get(key)
		if err != nil {
			return Settings{}, err
		}
		if ok {
			*dst = v
		}
	}
	for key, dst := range map[string]*bool{settingNotifications: &cur.Notifications, settingSound: &cur.Sound, settingPreview: &cur.Preview} {
		v, ok, err := get(key)
		if err != nil {
			return Settings{}, err
		}
		if ok {
			*dst = v == valueOn
		}
	}
	return cur, nil
}
