package signaling

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// Server is a SaltyRTC signalling server.
type Server struct {
	cfg      Config
	log      *slog.Logger
	ln       net.Listener
	conns0   *connlimit.Listener // the bound on accept, under TLS
	http     *http.Server
	upgrader websocket.Upgrader
	certSHA  string

	mu     sync.Mutex
	paths  map[cryptobox.PublicKey]*path
	perIP  map[string]int
	conns  map[*client]struct{}
	closed bool
	wg     sync.WaitGroup // one per connection handler

	upgradesRefused atomic.Uint64 // WebSocket upgrades answered 429 (MaxConnsPerIP)
}

// New validates cfg, prepares TLS (unless PlainWS) and binds the listener.
func New(cfg Config) (*Server, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:   c,
		log:   c.Logger.With("component", "signaling"),
		paths: make(map[cryptobox.PublicKey]*path),
		perIP: make(map[string]int),
		conns: make(map[*client]struct{}),
	}
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: c.Limits.HandshakeTimeout,
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
		WriteBufferPool:  &sync.Pool{},
		Subprotocols:     []string{saltyrtc.Subprotocol},
		CheckOrigin:      func(*http.Request) bool { return true }, // browsers connect from any origin; SaltyRTC authenticates itself
	}
	var tlsCfg *tls.Config
	if !c.PlainWS {
		cert, err := loadOrCreateCertificate(c.DataDir, c.Rand, c.Now())
		if err != nil {
			return nil, err
		}
		s.certSHA = certificateSHA256(cert)
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	raw, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("signaling: listen: %w", err)
	}
	// Bounded on accept too, before TLS, so that idle connections that never
	// send the WebSocket upgrade cannot pile up: twice the WebSocket bound,
	// so that one connection over that still gets its HTTP 429.
	s.conns0 = connlimit.Wrap(raw, connlimit.Limits{PerAddr: 2 * c.Limits.MaxConnsPerIP}.WithDefaults())
	var ln net.Listener = s.conns0
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	s.ln = ln
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{path}", s.serveWS)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: c.Limits.HandshakeTimeout, IdleTimeout: c.Limits.HandshakeTimeout,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the server's base URL, wss://host:port or ws://host:port (append
// the path: the initiator key in lowercase hex).
func (s *Server) URL() string {
	scheme := "wss://"
	if s.cfg.PlainWS {
		scheme = "ws://"
	}
	return scheme + s.ln.Addr().String()
}

// CertificateSHA256 is the lowercase hex SHA-256 of the TLS certificate's DER
// ("" with PlainWS), for backend.json's signaling.tls_certificate_sha256.
func (s *Server) CertificateSHA256() string { return s.certSHA }

// PublicKey is the primary server permanent public key (zero without keys).
func (s *Server) PublicKey() cryptobox.PublicKey {
	if len(s.cfg.Keys) == 0 {
		return cryptobox.PublicKey{}
	}
	return s.cfg.Keys[0].Public
}

// Run serves until ctx is cancelled, then closes every connection with 1001
// and returns once all connection handlers have finished.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	s.log.Info("signaling listening", "url", s.URL())
	var serveErr error
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			serveErr = fmt.Errorf("signaling: serve: %w", err)
		}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// Shutdown stops accepting; hijacked WebSockets are ours to close.
	// Connections that never sent a request (an idle flood, a client that
	// dialled and went quiet) would hold it up: after the timeout they are
	// closed, as httpserve does for the other servers.
	if err := s.http.Shutdown(sctx); err != nil {
		s.log.Warn("graceful shutdown timed out, closing connections", "err", err)
		_ = s.http.Close()
	}
	s.mu.Lock()
	s.closed = true
	conns := make([]*client, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.closeWith(saltyrtc.CloseGoingAway)
	}
	s.wg.Wait()
	if serveErr == nil {
		<-errc
	}
	return serveErr
}

// serveWS upgrades a request for /<initiator key hex> and runs the connection.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	key, ok := parsePath(r.PathValue("path"))
	if !ok {
		http.Error(w, "path must be the initiator's public key in lowercase hex", http.StatusNotFound)
		return
	}
	ip := clientIP(r.RemoteAddr)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if s.perIP[ip] >= s.cfg.Limits.MaxConnsPerIP {
		s.mu.Unlock()
		s.upgradesRefused.Add(1)
		s.log.Warn("connection refused: too many from one address")
		http.Error(w, "too many connections", http.StatusTooManyRequests)
		return
	}
	s.perIP[ip]++
	s.wg.Add(1)
	s.mu.Unlock()
	release := func() {
		s.mu.Lock()
		if s.perIP[ip]--; s.perIP[ip] <= 0 {
			delete(s.perIP, ip)
		}
		s.mu.Unlock()
		s.wg.Done()
	}

	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Debug("upgrade failed", "err", err)
		release()
		return
	}
	c := &client{s: s, ws: ws, pathKey: key, log: s.log}
	if ws.Subprotocol() != saltyrtc.Subprotocol {
		s.log.Info("subprotocol not negotiated", "offered", len(websocket.Subprotocols(r)))
	}
	// The connection gets its own goroutine so that net/http's per-request
	// state (its buffers, its goroutine) is released: an idle connection
	// costs only what it needs. Run waits for it through s.wg.
	go func() {
		defer release()
		s.serveConn(c)
	}()
}

// serveConn runs one upgraded connection to its end.
func (s *Server) serveConn(c *client) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.closeWith(saltyrtc.CloseGoingAway)
		c.drain()
		_ = c.ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	s.cfg.Metrics.ConnectionsChanged(1)
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.cfg.Metrics.ConnectionsChanged(-1)
	}()
	if c.ws.Subprotocol() != saltyrtc.Subprotocol {
		c.closeWith(saltyrtc.CloseSubprotocolError)
		c.drain()
		_ = c.ws.Close()
		return
	}
	c.run()
}

// parsePath accepts exactly 64 lowercase hex characters (§1.2).
func parsePath(p string) (cryptobox.PublicKey, bool) {
	if len(p) != 2*cryptobox.KeySize {
		return cryptobox.PublicKey{}, false
	}
	for i := range len(p) {
		if ch := p[i]; (ch < '0' || ch > '9') && (ch < 'a' || ch > 'f') {
			return cryptobox.PublicKey{}, false
		}
	}
	k, err := cryptobox.ParsePublicKeyHex(p)
	return k, err == nil
}

func clientIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

// now is the injected clock.
func (s *Server) now() time.Time { return s.cfg.Now() }

// Close releases the listener when Run is never called (Run closes it itself).
func (s *Server) Close() error {
	if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("signaling: close: %w", err)
	}
	return nil
}
