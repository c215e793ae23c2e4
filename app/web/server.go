package web

import (
	"github.com/kurier/kurier/internal/httpserve"

	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/app"
)

// Limits on what a browser tab may send and how far it may fall behind.
const (
	// DefaultMaxRequestBytes bounds one bridge request frame: a file the
	// phone accepts (50 MiB) in base64 with room for the rest of the call.
	DefaultMaxRequestBytes = 72 << 20
	// outboxSize is how many replies and events may wait for a slow tab before
	// it is disconnected.
	outboxSize = 256
	// writeTimeout bounds one frame write to a tab.
	writeTimeout = 10 * time.Second
	// shutdownTimeout bounds the graceful HTTP shutdown.
	shutdownTimeout = 5 * time.Second
	// maxInFlight bounds the calls of one tab that run at the same time.
	maxInFlight = 16
	// tokenBytes is the entropy of a generated access token.
	tokenBytes = 16
)

// Config configures a web mode server.
type Config struct {
	// Addr is the TCP listen address, e.g. "127.0.0.1:8090" or "127.0.0.1:0".
	Addr string
	// Assets is the built UI bundle (index.html at its root).
	Assets fs.FS
	// Services are the bound services, as app.Services.Bindings returns them.
	Services []any
	// Hub streams events to every connected tab.
	Hub *app.Hub
	// MaxRequestBytes bounds one request frame (0 = DefaultMaxRequestBytes).
	MaxRequestBytes int64
	// Token is the access token a browser must present (?token= on the
	// bridge URL); empty means a random one. URL includes it.
	Token string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Server serves the UI and the bridge WebSocket.
type Server struct {
	cfg      Config
	log      *slog.Logger
	dispatch *Dispatcher
	ln       net.Listener
	http     *http.Server
	upgrader websocket.Upgrader
}

// New validates cfg and binds the listen address.
func New(cfg Config) (*Server, error) {
	if cfg.Assets == nil || cfg.Hub == nil {
		return nil, errors.New("web: config needs Assets and Hub")
	}
	if _, err := fs.Stat(cfg.Assets, "index.html"); err != nil {
		return nil, fmt.Errorf("web: UI bundle has no index.html (run `make build`): %w", err)
	}
	d, err := NewDispatcher(cfg.Services)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if cfg.Token == "" {
		var b [tokenBytes]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("web: token: %w", err)
		}
		cfg.Token = hex.EncodeToString(b[:])
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("web: listen: %w", err)
	}
	s := &Server{cfg: cfg, log: log.With("component", "web"), dispatch: d, ln: ln}
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(cfg.Assets))
	mux.HandleFunc("GET /bridge", s.serveBridge)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the address to open in a browser, with the access token.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/?token=" + s.cfg.Token }

// Token is the access token the bridge requires.
func (s *Server) Token() string { return s.cfg.Token }

// Run serves until ctx is cancelled, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	s.log.Info("web mode listening", "addr", s.ln.Addr().String())
	if err := httpserve.Serve(ctx, s.http, s.ln, shutdownTimeout, s.log); err != nil {
		return fmt.Errorf("web: %w", err)
	}
	return nil
}

// request is one bridge call from a tab.
type request struct {
	ID     uint64            `json:"id"`
	Method string            `json:"method"`
	Args   []json.RawMessage `json:"args"`
}

// frame is one message to a tab: a reply (ID set) or an event (Event set).
type frame struct {
	ID     uint64 `json:"id,omitempty"`
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
	// Code is the failure kind of an error reply (app.ErrorCode), which the UI translates.
	Code  string `json:"code,omitempty"`
	Event string `json:"event,omitempty"`
	Data  any    `json:"data,omitempty"`
}

func (s *Server) serveBridge(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(s.cfg.Token)) != 1 {
		s.log.Warn("bridge refused: wrong or missing access token", "remote", r.RemoteAddr)
		http.Error(w, "wrong or missing access token: open the URL that kurier --web printed", http.StatusUnauthorized)
		return
	}
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Warn("bridge upgrade refused", "remote", r.RemoteAddr, "err", err)
		return
	}
	conn.SetReadLimit(s.cfg.MaxRequestBytes)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()

	outbox := make(chan frame, outboxSize)
	send := func(f frame) {
		select {
		case outbox <- f:
		default:
			s.log.Warn("bridge tab too slow, disconnecting", "remote", r.RemoteAddr)
			cancel()
		}
	}
	unsubscribe := s.cfg.Hub.Subscribe(func(ev app.Event) { send(frame{Event: ev.Name, Data: ev.Data}) })
	defer unsubscribe()

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		s.writeLoop(ctx, conn, outbox)
	}()
	s.log.Info("bridge tab connected", "remote", r.RemoteAddr)
	s.readLoop(ctx, conn, send)
	cancel()
	<-writerDone
	_ = conn.Close()
	s.log.Info("bridge tab disconnected", "remote", r.RemoteAddr)
}

// readLoop reads calls and runs each in its own goroutine (a call waiting
// for the phone must not hold up the others), at most maxInFlight at a time.
func (s *Server) readLoop(ctx context.Context, conn *websocket.Conn, send func(frame)) {
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	defer wg.Wait()
	go func() {
		<-ctx.Done()
		_ = conn.SetReadDeadline(time.Now())
	}()
	for {
		var req request
		if err := conn.ReadJSON(&req); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				s.log.Warn("bridge request is not JSON", "err", err)
			}
			return
		}
		if req.ID == 0 {
			s.log.Warn("bridge request without id", "method", req.Method)
			return
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func(req request) {
			defer func() { <-slots; wg.Done() }()
			result, err := s.dispatch.Call(req.Method, req.Args)
			if err != nil {
				e := app.DescribeError(err)
				s.log.Debug("bridge call failed", "method", req.Method, "code", e.Code, "err", err)
				send(frame{ID: req.ID, Error: e.Message, Code: string(e.Code)})
				return
			}
			send(frame{ID: req.ID, Result: result})
		}(req)
	}
}

func (s *Server) writeLoop(ctx context.Context, conn *websocket.Conn, outbox <-chan frame) {
	for {
		select {
		case <-ctx.Done():
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
			return
		case f := <-outbox:
			_ = conn.SetWriteDeadline(time.Now().Add(writeTimeout))
			if err := conn.WriteJSON(f); err != nil {
				return
			}
		}
	}
}
