package admin

import (
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/internal/httpserve"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/chat"
	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/signaling"
	dirwire "github.com/kurier/kurier/protocol/directory"
	"github.com/kurier/kurier/protocol/provisioning"
)

// Config configures the admin server. A nil server is left out of health,
// metrics and the QA API (kurier-backend --only runs a subset).
type Config struct {
	// Addr is the listen address, e.g. "127.0.0.1:8080" or "127.0.0.1:0".
	Addr string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Provisioning returns the current backend.json content.
	Provisioning func() provisioning.File
	// Metrics makes the handler of GET /metrics (package backend/metrics's
	// Prometheus.Admin); nil serves none.
	Metrics Exporter
	// Directory, Blob, Chat and Signaling are the in-process servers.
	Directory *directory.Server
	Blob      *blob.Server
	Chat      *chat.Server
	Signaling *signaling.Server
	// Conns bounds the open connections per client address and in total
	// (zero fields: DefaultConns).
	Conns connlimit.Limits
}

// Exporter makes the handler of /metrics for the servers of cfg; own is the
// admin server's own listener, whose refused connections count too.
type Exporter func(cfg Config, own *connlimit.Listener) (http.Handler, error)

// DefaultConns bounds the admin server's connections: scrapers and QA tools,
// a few at a time.
var DefaultConns = connlimit.Limits{PerAddr: 32, Total: 256}

// Timeouts of the admin server's connections.
const (
	readTimeout = 30 * time.Second
	idleTimeout = 60 * time.Second
)

// Server is the admin HTTP server.
type Server struct {
	cfg  Config
	log  *slog.Logger
	ln   net.Listener
	http *http.Server
}

// New binds cfg.Addr and makes the /metrics handler with cfg.Metrics.
func New(cfg Config) (*Server, error) {
	if cfg.Provisioning == nil {
		return nil, errors.New("admin: config needs Provisioning")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("admin: listen: %w", err)
	}
	if cfg.Conns.PerAddr <= 0 {
		cfg.Conns.PerAddr = DefaultConns.PerAddr
	}
	if cfg.Conns.Total <= 0 {
		cfg.Conns.Total = DefaultConns.Total
	}
	own := connlimit.Wrap(ln, cfg.Conns)
	var metrics http.Handler
	if cfg.Metrics != nil {
		if metrics, err = cfg.Metrics(cfg, own); err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("admin: %w", err)
		}
	}
	s := &Server{cfg: cfg, log: log.With("component", "admin"), ln: own}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backend.json", s.handleProvisioning)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	mux.HandleFunc("GET /qa/identities", s.handleIdentities)
	mux.HandleFunc("GET /qa/identities/{id}/queue", s.handleQueue)
	mux.HandleFunc("POST /qa/identities/{id}/purge", s.handlePurge)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: readTimeout,
		WriteTimeout: readTimeout, IdleTimeout: idleTimeout}
	return s, nil
}

// Addr is the bound address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the server's base URL.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Close releases the listener when Run is never called.
func (s *Server) Close() error {
	if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("admin: close: %w", err)
	}
	return nil
}

// Run serves until ctx is cancelled, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	s.log.Info("admin listening", "url", s.URL())
	if err := httpserve.Serve(ctx, s.http, s.ln, httpserve.DefaultShutdownTimeout, s.log); err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	return nil
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.log.Debug("write response", "err", err)
	}
}

func (s *Server) handleProvisioning(w http.ResponseWriter, _ *http.Request) {
	s.writeJSON(w, http.StatusOK, s.cfg.Provisioning())
}

// Health is the body of GET /healthz.
type Health struct {
	Status  string            `json:"status"`
	Servers map[string]string `json:"servers"`
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	h := Health{Status: "ok", Servers: map[string]string{}}
	if s.cfg.Directory != nil {
		h.Servers["directory"] = "ok"
		if _, err := s.cfg.Directory.ListIdentities(r.Context(), "", 1); err != nil {
			h.Status, h.Servers["directory"] = "degraded", "store unavailable"
		}
	}
	if s.cfg.Blob != nil {
		h.Servers["blob"] = "ok"
	}
	if s.cfg.Chat != nil {
		h.Servers["chat"] = "ok"
	}
	status := http.StatusOK
	if h.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	s.writeJSON(w, status, h)
}

// IdentityInfo is one row of GET /qa/identities.
type IdentityInfo struct {
	Identity    string `json:"identity"`
	PublicKey   string `json:"publicKey"`
	State       int    `json:"state"`
	FeatureMask uint64 `json:"featureMask"`
}

func (s *Server) handleIdentities(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Directory == nil {
		s.writeJSON(w, http.StatusNotFound, map[string]string{"error": "the directory does not run in this process"})
		return
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > directory.MaxListPage {
			s.writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("limit must be 1..%d", directory.MaxListPage)})
			return
		}
		limit = n
	}
	ids, err := s.cfg.Directory.ListIdentities(r.Context(), r.URL.Query().Get("after"), limit)
	if err != nil {
		s.log.Error("list identities", "err", err)
		s.writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	out := make([]IdentityInfo, 0, len(ids))
	for _, it := range ids {
		out = append(out, IdentityInfo{Identity: it.ID, PublicKey: it.PublicKey.String(), State: int(it.State), FeatureMask: it.FeatureMask})
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"identities": out})
}

// QueueInfo is the body of the queue and purge QA calls.
type QueueInfo struct {
	Identity string `json:"identity"`
	Queued   int    `json:"queued,omitempty"`
	Purged   int    `json:"purged,omitempty"`
}

// chatFor checks the identity in the path and that the chat server runs here.
func (s *Server) chatFor(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	if !dirwire.ValidID(id) {
		s.writeJSON(w, http.StatusBadRequest, map[string]string{"error": "not an identity"})
		return "", false
	}
	if s.cfg.Chat == nil {
		s.writeJSON(w, http.StatusNotFound, map[string]string{"error": "the chat server does not run in this process"})
		return "", false
	}
	return id, true
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	id, ok := s.chatFor(w, r)
	if !ok {
		return
	}
	n, err := s.cfg.Chat.QueueDepth(r.Context(), id)
	if err != nil {
		s.log.Error("queue depth", "err", err)
		s.writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	s.writeJSON(w, http.StatusOK, QueueInfo{Identity: id, Queued: n})
}

func (s *Server) handlePurge(w http.ResponseWriter, r *http.Request) {
	id, ok := s.chatFor(w, r)
	if !ok {
		return
	}
	n, err := s.cfg.Chat.Purge(r.Context(), id)
	if err != nil {
		s.log.Error("purge", "err", err)
		s.writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	s.log.Info("queue purged by operator", "identity", id, "messages", n)
	s.writeJSON(w, http.StatusOK, QueueInfo{Identity: id, Purged: n})
}
