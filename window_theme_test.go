package main

import (
	"testing"

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
		got := windowBackground(tc.theme, func() bool { return tc.systemDark })
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
