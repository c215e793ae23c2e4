package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"github.com/kurier/kurier/app"
)

// The window's background before the web view has drawn: the --bg-main of
// the theme the UI will draw (frontend/src/app.css), so that the first
// frames are not a rectangle of the other theme.
var (
	backgroundLight = options.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	backgroundDark  = options.RGBA{R: 0x1f, G: 0x23, B: 0x2a, A: 0xff}
)

// drawnTheme is the theme the UI draws for the preference ("light" or
// "dark"); for "system" it asks systemPrefersDark.
func drawnTheme(theme string, systemPrefersDark func() bool) string {
	if theme == app.ThemeDark || (theme != app.ThemeLight && systemPrefersDark()) {
		return app.ThemeDark
	}
	return app.ThemeLight
}

// windowBackground returns the window's background for the drawn theme.
func windowBackground(drawn string) *options.RGBA {
	if drawn == app.ThemeDark {
		c := backgroundDark
		return &c
	}
	c := backgroundLight
	return &c
}

// gtkPrefersDark reports whether the desktop asks for dark applications the
// way WebKitGTK sees it: a GTK_THEME with a ":dark" variant or a name
// ending in "-dark", or GNOME's color-scheme "prefer-dark" (asked of
// gsettings, when it is installed, for at most 300 ms).
func gtkPrefersDark() bool {
	if t := strings.ToLower(os.Getenv("GTK_THEME")); t != "" {
		return strings.HasSuffix(t, ":dark") || strings.HasSuffix(t, "-dark")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	out, err := exec.CommandContext(ctx, "gsettings", "get", "org.gnome.desktop.interface", "color-scheme").Output()
	return err == nil && strings.Contains(string(out), "prefer-dark")
}

// themedIndex serves index.html with data-theme set to the drawn theme on
// its <html>, so that the web view's first paint is already in the theme
// (before it, WebKit paints its page white, whatever the window's
// background); every other asset passes through.
func themedIndex(assets fs.FS, drawn string) assetserver.Middleware {
	page, err := fs.ReadFile(assets, "index.html")
	if err != nil {
		return func(next http.Handler) http.Handler { return next }
	}
	page = bytes.Replace(page, []byte("<html "), []byte(`<html data-theme="`+drawn+`" `), 1)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" && r.URL.Path != "/index.html" {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(page)
		})
	}
}
