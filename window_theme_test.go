package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kurier/kurier/app"
)

// TestWindowBackground: the window's first frames are in the colours of the
// theme the UI will draw. The window used to be dark whatever the theme, and
// flashed a dark rectangle before a light UI.
func TestWindowBackground(t *testing.T) {
	for _, tc := range []struct {
		theme      string
		systemDark bool
		want       uint8
	}{
		{app.ThemeLight, true, backgroundLight.R},
		{app.ThemeDark, false, backgroundDark.R},
		{app.ThemeSystem, false, backgroundLight.R},
		{app.ThemeSystem, true, backgroundDark.R},
		{"unknown", false, backgroundLight.R},
	} {
		got := windowBackground(drawnTheme(tc.theme, func() bool { return tc.systemDark }))
		if got.R != tc.want {
			t.Errorf("theme %q, system dark %v: background R %#x, want %#x", tc.theme, tc.systemDark, got.R, tc.want)
		}
	}
	t.Setenv("GTK_THEME", "Adwaita:dark")
	if !gtkPrefersDark() {
		t.Error("GTK_THEME=Adwaita:dark is not dark")
	}
	t.Setenv("GTK_THEME", "Adwaita")
	if gtkPrefersDark() {
		t.Error("GTK_THEME=Adwaita is dark")
	}
}

// TestThemedIndex: the window's page arrives with the drawn theme on its
// <html>, before any script runs (WebKit's first paint is otherwise white);
// other assets pass through.
func TestThemedIndex(t *testing.T) {
	assets := fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><html lang="en"><body></body></html>`)}}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("asset " + r.URL.Path)) })
	h := themedIndex(assets, app.ThemeDark)(next)
	for path, want := range map[string]string{
		"/":            `<html data-theme="dark" lang="en">`,
		"/index.html":  `<html data-theme="dark" lang="en">`,
		"/assets/a.js": "asset /assets/a.js",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %q, want %q in it", path, rec.Body.String(), want)
		}
	}
}
