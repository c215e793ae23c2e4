//go:build linux

package main

import (
	"os"
	"testing"
)

// unset clears name for the test and restores it afterwards.
func unset(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "")
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

func TestChooseDisplay(t *testing.T) {
	vars := []string{"GDK_BACKEND", "XDG_SESSION_TYPE", "GDK_GL", "WEBKIT_DISABLE_DMABUF_RENDERER"}
	cases := []struct {
		name string
		set  map[string]string
		want map[string]string // "" for unset
	}{
		{"an X11 session", map[string]string{"XDG_SESSION_TYPE": "x11"},
			map[string]string{"GDK_BACKEND": "x11", "GDK_GL": "disable", "WEBKIT_DISABLE_DMABUF_RENDERER": "1"}},
		{"no session type (ssh -X, Xvfb)", nil,
			map[string]string{"GDK_BACKEND": "x11", "GDK_GL": "disable", "WEBKIT_DISABLE_DMABUF_RENDERER": "1"}},
		{"the user's own choice stays", map[string]string{"WEBKIT_DISABLE_DMABUF_RENDERER": "0", "GDK_GL": "gles"},
			map[string]string{"GDK_BACKEND": "x11", "GDK_GL": "gles", "WEBKIT_DISABLE_DMABUF_RENDERER": "0"}},
		{"a Wayland session is left alone", map[string]string{"XDG_SESSION_TYPE": "wayland"},
			map[string]string{"GDK_BACKEND": "", "GDK_GL": "", "WEBKIT_DISABLE_DMABUF_RENDERER": ""}},
		{"GDK_BACKEND=wayland is left alone", map[string]string{"XDG_SESSION_TYPE": "x11", "GDK_BACKEND": "wayland"},
			map[string]string{"GDK_BACKEND": "wayland", "GDK_GL": "", "WEBKIT_DISABLE_DMABUF_RENDERER": ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, v := range vars {
				unset(t, v)
			}
			for k, v := range c.set {
				t.Setenv(k, v)
			}
			chooseDisplay()
			for k, want := range c.want {
				if got := os.Getenv(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}
