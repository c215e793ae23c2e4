package directory

import (
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/internal/httpserve"

	"github.com/kurier/kurier/internal/ratelimit"
	wire "github.com/kurier/kurier/protocol/directory"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// HTTP server timeouts.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 5 * time.Second
	// statsTimeout bounds the queries of Stats on PostgreSQL.
	statsTimeout = 2 * time.Second
)

// dbFile is the database file name in Config.DataDir.
const dbFile = "directory.db"

// Server is a directory server.
type Server struct {
	cfg    Config
	log    *slog.Logger
	store  store
	tokens challengeTokens
	limits limiter
	ln     net.Listener
	http   *http.Server
	stats  counters

	closeOnce sync.Once
	closeErr  error
}

// counters are the server's statistics, read through Stats.
type counters struct {
	registered  atomic.Uint64
	rateLimited [numClasses]atomic.Uint64
}

// Stats are the directory's counters since New.
type Stats struct {
	// IdentitiesRegistered counts identities created since the server started.
	IdentitiesRegistered uint64
	// ConnsRefused counts connections closed on accept: over the bound per
	// client address, and over the bound in total (counters).
	ConnsRefusedPerAddr, ConnsRefusedTotal uint64
	// RateLimitedGeneral counts requests refused by the general budget.
	RateLimitedGeneral uint64
	// RateLimitedLookup counts requests refused by the lookup budget.
	RateLimitedLookup uint64
	// RateLimitedMatch counts match requests refused by the hash budget.
	RateLimitedMatch uint64
	// PendingTokens is the number of outstanding challenge tokens (on
	// PostgreSQL, of every node, read at most once a second).
	PendingTokens int
	// TrackedIPs is the number of client addresses with rate limiter state
	// (on PostgreSQL, of every node, read at most once a second).
	TrackedIPs int
}

// New opens the store (cfg.Database, or SQLite in cfg.DataDir) and binds
// cfg.Addr.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	st, err := openState(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = st.store.close()
		return nil, fmt.Errorf("directory: listen: %w", err)
	}
	s := &Server{
		cfg:    cfg,
		log:    cfg.Logger.With("component", "directory"),
		store:  st.store,
		tokens: st.tokens,
		limits: st.limits,
		ln:     connlimit.Wrap(ln, cfg.Conns),
	}
	s.http = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// routes builds the server's own mux (shared/protocols.md §4).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// The lookups charge classLookup per identity themselves (chargeIDs),
	// match its hashes to classMatchHashes.
	mux.Handle("POST /identity/create", s.limit(s.handleCreate, classGeneral))
	mux.Handle("GET /identity/{id}", s.limit(s.handleLookup, classGeneral))
	mux.Handle("POST /identity/fetch_bulk", s.limit(s.handleFetchBulk, classGeneral))
	mux.Handle("POST /identity/check", s.limit(s.handleCheck, classGeneral))
	mux.Handle("POST /identity/check_featuremask", s.limit(s.handleCheckFeatureMask, classGeneral))
	mux.Handle("POST /identity/match", s.limit(s.handleMatch, classGeneral))
	mux.Handle("POST /identity/set_featuremask", s.limit(s.authenticated(callSetFeatureMask, s.doSetFeatureMask), classGeneral))
	mux.Handle("POST /identity/link_email", s.limit(s.authenticated(callLinkEmail, s.doLinkEmail), classGeneral))
	mux.Handle("POST /identity/link_mobileno", s.limit(s.authenticated(callLinkMobile, s.doLinkMobile), classGeneral))
	mux.Handle("POST /identity/revoke", s.limit(s.authenticated(callRevoke, s.doRevoke), classGeneral))
	mux.Handle("/", s.limit(func(w http.ResponseWriter, _ *http.Request) {
		s.writeError(w, http.StatusNotFound, fmt.Errorf("%w: no such endpoint", wire.ErrNotFound))
	}, classGeneral))
	return mux
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the base URL of the API, ending in "/".
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Run serves until ctx is cancelled, then shuts down gracefully (connections
// still busy after 5 s are cut) and closes the store. It returns once the
// HTTP server has stopped. While it serves, it sweeps the refilled
// rate-limit buckets and the expired tokens of a PostgreSQL store every
// sweepInterval.
func (s *Server) Run(ctx context.Context) error {
	s.log.Info("directory listening", "url", s.URL())
	sweepCtx, stopSweep := context.WithCancel(ctx)
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		s.sweepLoop(sweepCtx)
	}()
	var serveErr error
	if err := httpserve.Serve(ctx, s.http, s.ln, shutdownTimeout, s.log); err != nil {
		serveErr = fmt.Errorf("directory: %w", err)
	}
	stopSweep()
	<-swept
	return errors.Join(serveErr, s.Close())
}

// Close closes the store. Run calls it; call it directly only when Run is
// never called. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Debug("close listener", "err", err)
		}
		s.closeErr = s.store.close()
	})
	return s.closeErr
}

// Stats reports the server's counters.
func (s *Server) Stats() Stats {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	pending, err := s.tokens.pending(ctx)
	if err != nil {
		s.log.Warn("stats: pending tokens", "err", err)
	}
	tracked, err := s.limits.tracked(ctx)
	if err != nil {
		s.log.Warn("stats: tracked addresses", "err", err)
	}
	return Stats{
		IdentitiesRegistered: s.stats.registered.Load(),
		RateLimitedGeneral:   s.stats.rateLimited[classGeneral].Load(),
		RateLimitedLookup:    s.stats.rateLimited[classLookup].Load(),
		RateLimitedMatch:     s.stats.rateLimited[classMatchHashes].Load(),
		PendingTokens:        pending,
		TrackedIPs:           tracked,
		ConnsRefusedPerAddr:  s.ln.(*connlimit.Listener).Refused(connlimit.RefusedPerAddr),
		ConnsRefusedTotal:    s.ln.(*connlimit.Listener).Refused(connlimit.RefusedTotal),
	}
}

// limit charges the request to its client's budget of class and answers
// 429 with Retry-After when it is exhausted.
func (s *Server) limit(h http.HandlerFunc, class limitClass) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.charge(w, r, 1, class) {
			h(w, r)
		}
	})
}

// charge charges n tokens to the client's budget of class; when it is
// exhausted (or cannot be read) it answers, 429 with Retry-After (or 500),
// and reports false.
func (s *Server) charge(w http.ResponseWriter, r *http.Request, n int, class limitClass) bool {
	ok, wait, err := s.limits.allowN(r.Context(), ratelimit.ClientAddr(r), s.cfg.Now(), n, class)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	if !ok {
		s.refuse(w, class, wait)
	}
	return ok
}

// chargeIDs charges n looked-up identities to the client's lookup budget;
// when it is exhausted it answers 429 with Retry-After and reports false. A
// request for more identities than the bucket holds (LookupLimit.Burst) is
// always refused: a client splits its batches.
func (s *Server) chargeIDs(w http.ResponseWriter, r *http.Request, n int) bool {
	if n <= 0 {
		return true
	}
	return s.charge(w, r, n, classLookup)
}

// refuse answers 429 with Retry-After and counts it.
func (s *Server) refuse(w http.ResponseWriter, blocked limitClass, wait time.Duration) {
	s.stats.rateLimited[blocked].Add(1)
	w.Header().Set("Retry-After", ratelimit.RetryAfter(wait))
	s.writeError(w, http.StatusTooManyRequests, wire.ErrRateLimited)
}

// readBody reads a request body of at most MaxBodyBytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("%w: body above %d bytes", wire.ErrTooLarge, s.cfg.MaxBodyBytes)
		}
		return nil, fmt.Errorf("%w: read body: %w", wire.ErrBadRequest, err)
	}
	return body, nil
}

// writeJSON writes v with status 200.
func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.log.Debug("write response", "err", err)
	}
}

// writeError writes {success:false, error, errorType} with status: the
// protocol's error type and its short message; the error's detail is logged
// (at debug level: a client's mistakes are not the server's events).
func (s *Server) writeError(w http.ResponseWriter, status int, err error) {
	typ := wire.ErrorTypeOf(err)
	msg := wire.ErrorMessage(typ)
	if typ != wire.ErrorTypeInternal {
		s.log.Debug("request refused", "status", status, "type", typ, "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(wire.ErrorResponse{Success: false, Error: msg, ErrorType: typ}); err != nil {
		s.log.Debug("write error response", "err", err)
	}
}

// fail answers a failed request: client errors with their status (semantic
// failures of create and authenticated calls are 200 with success:false, as
// Threema clients read the error from the body), server errors with 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusFor(err)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	s.writeError(w, status, err)
}

func statusFor(err error) int {
	switch {
	case errors.Is(err, wire.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, wire.ErrBadRequest), errors.Is(err, wire.ErrInvalidKey):
		return http.StatusBadRequest
	case errors.Is(err, wire.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, wire.ErrRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, wire.ErrBusy):
		return http.StatusServiceUnavailable
	case errors.Is(err, wire.ErrTokenInvalid), errors.Is(err, wire.ErrProofRejected), errors.Is(err, wire.ErrLegacyResponse),
		errors.Is(err, wire.ErrKeyReserved), errors.Is(err, wire.ErrKeyInUse), errors.Is(err, wire.ErrRevoked):
		return http.StatusOK
	default:
		return http.StatusInternalServerError
	}
}
