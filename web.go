package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/app/web"
)

// runWeb serves the UI to browsers until ctx is cancelled (SIGINT/SIGTERM).
func runWeb(ctx context.Context, addr string, assets fs.FS, svcs *app.Services, out io.Writer, log *slog.Logger) error {
	srv, err := web.New(web.Config{
		Addr:     addr,
		Assets:   assets,
		Services: svcs.Bindings(),
		Hub:      svcs.Hub,
		Logger:   log,
	})
	if err != nil {
		return err
	}
	if tcp, ok := srv.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Warn("web mode listens beyond this computer: anyone who can reach it and learns the URL's token can read your chats", "addr", tcp.String())
	}
	_, _ = fmt.Fprintf(out, "Kurier web client: open %s in your browser (Ctrl+C stops it)\n", srv.URL())
	return srv.Run(ctx)
}
