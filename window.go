package main

import (
	"context"
	"io/fs"
	"log/slog"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/internal/buildinfo"
)

// runWindow opens the desktop window and returns when it is closed; saver
// gets the window's context for its Save dialog. SIGINT and
// SIGTERM close it cleanly through Wails' own signal handler, which shuts the
// application down; calling runtime.Quit from another goroutine as well would
// quit GTK twice, which can crash it.
func runWindow(assets fs.FS, svcs *app.Services, saver *saveDialog, log *slog.Logger) error {
	var unsubscribe func()
	theme := app.ThemeSystem
	if s, err := svcs.Settings.Get(); err == nil {
		theme = s.Theme
	}
	drawn := drawnTheme(theme, gtkPrefersDark)
	background := windowBackground(drawn)
	paintMainWindow(background)
	enableMicrophone()
	return wails.Run(&options.App{
		Title:            buildinfo.ProductName,
		Width:            1100,
		Height:           720,
		MinWidth:         360,
		MinHeight:        480,
		BackgroundColour: background,
		AssetServer:      &assetserver.Options{Assets: assets, Middleware: themedIndex(assets, drawn)},
		Bind:             svcs.Bindings(),
		// A failed call reaches the UI as {code, message}: the code it translates, the text it logs.
		ErrorFormatter: func(err error) any {
			e := app.DescribeError(err)
			log.Debug("bound call failed", "code", e.Code, "err", err)
			return e
		},
		Logger:   wailsLogger{log.With("component", "wails")},
		LogLevel: logger.WARNING,
		Linux:    &linux.Options{ProgramName: "kurier", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		OnStartup: func(wctx context.Context) {
			saver.start(wctx)
			unsubscribe = svcs.Hub.Subscribe(func(ev app.Event) { runtime.EventsEmit(wctx, ev.Name, ev.Data) })
		},
		OnShutdown: func(context.Context) {
			if unsubscribe != nil {
				unsubscribe()
			}
			log.Info("window closed")
		},
	})
}

// wailsLogger routes Wails' own log lines into slog.
type wailsLogger struct{ log *slog.Logger }

func (l wailsLogger) Print(m string)   { l.log.Info(m) }
func (l wailsLogger) Trace(m string)   { l.log.Debug(m) }
func (l wailsLogger) Debug(m string)   { l.log.Debug(m) }
func (l wailsLogger) Info(m string)    { l.log.Info(m) }
func (l wailsLogger) Warning(m string) { l.log.Warn(m) }
func (l wailsLogger) Error(m string)   { l.log.Error(m) }
func (l wailsLogger) Fatal(m string)   { l.log.Error(m) }
