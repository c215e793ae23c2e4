package app

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func startTemp(t *testing.T, dir string) *Services {
	t.Helper()
	s, err := Start(context.Background(), Config{DataDir: dir, Mode: ModeWindow})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestStartBuildsEveryBinding(t *testing.T) {
	t.Parallel()
	s := startTemp(t, filepath.Join(t.TempDir(), "profile", "nested"))
	b := s.Bindings()
	if len(b) != 6 {
		t.Fatalf("Bindings() has %d services, want 6", len(b))
	}
	for i, svc := range b {
		if svc == nil {
			t.Errorf("binding %d is nil", i)
		}
	}
	info, err := s.About.Info()
	if err != nil || info.Name != "Kurier" || info.Mode != ModeWindow || info.Version == "" {
		t.Fatalf("About.Info() = %+v, %v", info, err)
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{DataDir: "", Mode: ModeWindow},
		{DataDir: t.TempDir(), Mode: "tty"},
	} {
		if s, err := Start(context.Background(), cfg); err == nil {
			_ = s.Close()
			t.Errorf("Start(%+v) succeeded", cfg)
		}
	}
}

func TestSettingsDefaultsAndPersistence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startTemp(t, dir)
	got, err := s.Settings.Get()
	if err != nil || got != DefaultSettings() {
		t.Fatalf("Get() = %+v, %v; want defaults", got, err)
	}
	if _, err := s.Settings.SetTheme(ThemeDark); err != nil {
		t.Fatal(err)
	}
	if _, err = s.Settings.SetLanguage(LanguageGerman); err != nil {
		t.Fatal(err)
	}
	if _, err = s.Settings.SetNotifications(false); err != nil {
		t.Fatal(err)
	}
	if _, err = s.Settings.SetSound(false); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Settings.SetPreview(false); err != nil {
		t.Fatal(err)
	}
	want := Settings{Theme: ThemeDark, Language: LanguageGerman}
	if got != want {
		t.Fatalf("after set: %+v, want %+v", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := startTemp(t, dir)
	if got, err = again.Settings.Get(); err != nil || got != want {
		t.Fatalf("after restart: %+v, %v; want %+v", got, err, want)
	}
}

func TestSettingsRejectInvalidValues(t *testing.T) {
	t.Parallel()
	s := startTemp(t, t.TempDir())
	for _, tc := range []struct {
		name string
		set  func(string) (Settings, error)
		v    string
	}{
		{"theme empty", s.Settings.SetTheme, ""},
		{"theme unknown", s.Settings.SetTheme, "solarized"},
		{"theme case", s.Settings.SetTheme, "Dark"},
		{"language unknown", s.Settings.SetLanguage, "fr"},
		{"language tag", s.Settings.SetLanguage, "de-CH"},
	} {
		if _, err := tc.set(tc.v); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("%s: err = %v, want ErrInvalidSetting", tc.name, err)
		}
	}
	if got, _ := s.Settings.Get(); got != DefaultSettings() {
		t.Fatalf("invalid values changed settings to %+v", got)
	}
}

func TestSettingsChangePublishesEvent(t *testing.T) {
	t.Parallel()
	s := startTemp(t, t.TempDir())
	var mu sync.Mutex
	var events []Event
	unsubscribe := s.Hub.Subscribe(func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	})
	if _, err := s.Settings.SetTheme(ThemeLight); err != nil {
		t.Fatal(err)
	}
	unsubscribe()
	if _, err := s.Settings.SetTheme(ThemeDark); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 1 {
		t.Fatalf("got %d events, want 1 (none after unsubscribe)", len(events))
	}
	ev := events[0]
	if ev.Name != EventSettingsChanged || ev.Data != (Settings{Theme: ThemeLight, Language: LanguageSystem, Notifications: true, Sound: true, Preview: true}) {
		t.Fatalf("event = %+v", ev)
	}
}

func TestLinkStartsUnpaired(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s, err := Start(context.Background(), Config{DataDir: t.TempDir(), Mode: ModeWindow, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	st, err := s.Link.Status()
	if err != nil || st.State != LinkUnpaired || st.Since != at.UnixMilli() || st.World != WorldExternal {
		t.Fatalf("Status() = %+v, %v", st, err)
	}
	if _, err := s.Link.StartPairing(PairingOptions{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("pairing without a signaling server: %v", err)
	}
}

type recordingNotifier struct{ got []Notification }

func (r *recordingNotifier) Notify(title, body string) error {
	r.got = append(r.got, Notification{Title: title, Body: body})
	return nil
}

func TestNotificationService(t *testing.T) {
	t.Parallel()
	if err := (&NotificationService{}).Show(Notification{Title: "Kurier", Body: "hi"}); !errors.Is(err, ErrNoNotifier) {
		t.Fatalf("without an OS notifier: %v", err)
	}
	rec := &recordingNotifier{}
	s := &NotificationService{notifier: rec}
	if err := s.Show(Notification{Title: "Bob", Body: "hello"}); err != nil || len(rec.got) != 1 || rec.got[0].Body != "hello" {
		t.Fatalf("Show: %v, %+v", err, rec.got)
	}
	if err := s.Show(Notification{Title: strings.Repeat("x", 300)}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("long title: %v", err)
	}
}

// TestForgetDuringIndexRebuild: forgetting while the search index is still
// being rebuilt after an unlock leaves nothing of the forgotten messages in
// the index (the rebuild reads an older snapshot of the cache).
func TestForgetDuringIndexRebuild(t *testing.T) {
	t.Parallel()
	dir, sig := benchProfile(t, 200, 100)
	s, err := Start(context.Background(), Config{DataDir: dir, Mode: ModeWeb, Signaling: sig})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	if _, err := s.Link.Unlock(benchPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Link.Forget(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // a rebuild still running would add documents now
	if n, err := s.index.Count(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d documents in the index after forgetting (%v)", n, err)
	}
	if hits, _ := s.Chat.Search("conversation", 10); len(hits) != 0 {
		t.Fatalf("search after forgetting: %d hits", len(hits))
	}
}
