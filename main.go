// Command kurier is the Kurier desktop client: a Wails window (or, with --web,
// the same UI served to a browser) that pairs with the user's phone.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/alecthomas/kong"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/app/world"
	"github.com/kurier/kurier/internal/buildinfo"
	"github.com/kurier/kurier/protocol/provisioning"
)

//go:embed all:frontend/dist
var bundle embed.FS

// cli is the command line of the desktop client.
type cli struct {
	Data     string           `help:"Profile directory (settings, local store, keys)." type:"path" default:"${default_data}"`
	Backend  string           `help:"backend.json of an external Kurier backend: pair with a kurier-phone by QR code. Without it Kurier runs its embedded demo world." type:"path" placeholder:"FILE"`
	Web      string           `help:"Serve the UI to a browser at this address (e.g. 127.0.0.1:8090) instead of opening a window." placeholder:"ADDR"`
	LogLevel slog.Level       `help:"Log level: debug, info, warn or error." default:"info" name:"log-level"`
	Version  kong.VersionFlag `help:"Print the version and exit."`
}

func main() {
	var c cli
	kong.Parse(&c,
		kong.Name("kurier"),
		kong.Description("Kurier: an end-to-end encrypted messenger for your desktop, paired with your phone."),
		kong.Vars{"version": buildinfo.Version, "default_data": defaultDataDir()},
	)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: c.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, c, bundle, os.Stdout, log)
	stop()
	if err != nil {
		log.Error("kurier failed", "err", err)
		os.Exit(1)
	}
}

// defaultDataDir is the per-user profile directory, e.g. ~/.config/Kurier.
func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "kurier-data"
	}
	return filepath.Join(dir, buildinfo.ProductName)
}

// run starts the services on the profile and shows the UI (window or web)
// until ctx is cancelled or the window is closed. Web mode announces its URL
// on out.
func run(ctx context.Context, c cli, bundle fs.FS, out io.Writer, log *slog.Logger) error {
	began := time.Now()
	assets, err := uiAssets(bundle)
	if err != nil {
		return err
	}
	mode := app.ModeWindow
	if c.Web != "" {
		mode = app.ModeWeb
	}
	cfg := app.Config{DataDir: c.Data, Mode: mode, Logger: log}
	if mode == app.ModeWindow && runtime.GOOS == "linux" {
		// freedesktop notifications; elsewhere the UI uses the web view's own.
		n := &app.DBusNotifier{}
		defer func() { _ = n.Close() }()
		cfg.Notifier = n
	}
	var saver *saveDialog
	if mode == app.ModeWindow {
		// The window's web view would save a download silently; Go asks where.
		saver = &saveDialog{}
		cfg.Saver = saver
	}
	if c.Backend != "" {
		prov, err := provisioning.Load(c.Backend)
		if err != nil {
			return fmt.Errorf("kurier: --backend: %w", err)
		}
		cfg.Signaling, cfg.World = prov.Signaling, app.WorldExternal
	} else {
		log.Debug("starting the demo world", "after", time.Since(began))
		w, err := world.Start(ctx, world.Config{DataDir: filepath.Join(c.Data, "world"), Logger: log})
		if err != nil {
			return fmt.Errorf("kurier: demo world: %w", err)
		}
		defer func() {
			if err := w.Close(); err != nil {
				log.Error("closing the demo world", "err", err)
			}
		}()
		cfg.Signaling, cfg.World, cfg.AutoPair = w.Signaling(), app.WorldDemo, w.Pair
	}
	svcs, err := app.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := svcs.Close(); err != nil {
			log.Error("closing services", "err", err)
		}
	}()
	log.Info("starting", "version", buildinfo.Version, "mode", mode, "data", c.Data, "world", cfg.World,
		"ready_after", time.Since(began).Round(time.Millisecond))
	if mode == app.ModeWeb {
		return runWeb(ctx, c.Web, assets, svcs, out, log)
	}
	return runWindow(assets, svcs, saver, log)
}

// uiAssets returns the built UI bundle inside the embedded tree, or a clear
// error when the binary was compiled before the frontend was built.
func uiAssets(bundle fs.FS) (fs.FS, error) {
	sub, err := fs.Sub(bundle, "frontend/dist")
	if err != nil {
		return nil, fmt.Errorf("kurier: UI bundle: %w", err)
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, fmt.Errorf("kurier: this binary has no UI bundle; build it with `make build`: %w", err)
	}
	return sub, nil
}
