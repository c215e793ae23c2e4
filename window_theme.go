package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/kurier/kurier/app"
)

// The window's background before the web view has drawn: the --bg-main of
// the theme the UI will draw (frontend/src/app.css), so that the first
// frames are not a rectangle of the other theme.
var (
	backgroundLight = options.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	backgroundDark  = options.RGBA{R: 0x1f, G: 0x23, B: 0x2a, A: 0xff}
)

// windowBackground returns the background for the theme preference; for
// "system" it asks systemPrefersDark.
func windowBackground(theme string, systemPrefersDark func() bool) *options.RGBA {
	dark := theme == app.ThemeDark || (theme != app.ThemeLight && systemPrefersDark())
	if dark {
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
