package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// saveDialog is the window's app.FileSaver: the native Save dialog (GTK's
// file chooser on Linux, which asks before overwriting a file). It opens in
// the folder chosen last, else the user's downloads folder.
type saveDialog struct {
	mu      sync.Mutex
	ctx     context.Context // the Wails context, once the window has started
	lastDir string
}

// errNoWindow: the window has not started (or has closed).
var errNoWindow = errors.New("kurier: no window for the save dialog")

// start keeps the Wails context the dialog needs.
func (d *saveDialog) start(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ctx = ctx
}

// SavePath shows the Save dialog with name suggested.
func (d *saveDialog) SavePath(name string) (string, error) {
	d.mu.Lock()
	ctx, dir := d.ctx, d.lastDir
	d.mu.Unlock()
	if ctx == nil {
		return "", errNoWindow
	}
	if dir == "" {
		dir = downloadsDir()
	}
	path, err := runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{DefaultDirectory: dir, DefaultFilename: name,
		CanCreateDirectories: true})
	if err != nil || path == "" {
		return "", err
	}
	d.mu.Lock()
	d.lastDir = filepath.Dir(path)
	d.mu.Unlock()
	return path, nil
}

// downloadsDir is the user's downloads folder (XDG_DOWNLOAD_DIR, else
// ~/Downloads), or the home folder when there is none.
func downloadsDir() string {
	home, _ := os.UserHomeDir()
	for _, dir := range []string{xdgDownloadDir(home), filepath.Join(home, "Downloads")} {
		if fi, err := os.Stat(dir); dir != "" && err == nil && fi.IsDir() {
			return dir
		}
	}
	return home
}

// xdgDownloadDir reads XDG_DOWNLOAD_DIR from the environment or
// ~/.config/user-dirs.dirs ("" if unset).
func xdgDownloadDir(home string) string {
	v := os.Getenv("XDG_DOWNLOAD_DIR")
	if v == "" {
		config := os.Getenv("XDG_CONFIG_HOME")
		if config == "" {
			config = filepath.Join(home, ".config")
		}
		b, err := os.ReadFile(filepath.Join(config, "user-dirs.dirs"))
		if err != nil {
			return ""
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "XDG_DOWNLOAD_DIR="); ok {
				v = strings.Trim(rest, `"`)
			}
		}
	}
	if rest, ok := strings.CutPrefix(v, "$HOME"); ok {
		v = home + rest
	}
	return v
}
