// Package httpserve runs an http.Server the way every Kurier HTTP server
// does: on a listener bound beforehand (so New can report the address, and
// tests use 127.0.0.1:0), until its context is cancelled, then with a bounded
// graceful shutdown.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// DefaultShutdownTimeout bounds the graceful shutdown of Serve.
const DefaultShutdownTimeout = 5 * time.Second

// Serve serves srv on ln until ctx is cancelled or serving fails. On
// cancellation it shuts srv down, waiting at most timeout for requests in
// flight; connections still open then (busy, or dialled but never used, which
// http.Server.Shutdown would wait for) are closed. It returns nil after a
// shutdown and the serving error otherwise.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener, timeout time.Duration, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("graceful shutdown timed out, closing connections", "err", err)
		_ = srv.Close()
	}
	<-errc
	return nil
}
