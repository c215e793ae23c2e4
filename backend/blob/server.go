package blob

import (
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/internal/httpserve"

	"github.com/kurier/kurier/internal/ratelimit"
	wire "github.com/kurier/kurier/protocol/blob"

	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// HTTP server timeouts. Bodies may be 100 MiB on slow links, so reads and
// writes get minutes, headers seconds.
const (
	readHeaderTimeout = 10 * time.Second
	bodyTimeout       = 10 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
	// storeQueryTimeout bounds the store queries that no request bounds:
	// the totals of Stats, opening the store.
	storeQueryTimeout = 10 * time.Second
)

// Server is a blob server.
type Server struct {
	cfg    Config
	log    *slog.Logger
	store  blobStore
	limits *ratelimit.Table
	ln     net.Listener
	http   *http.Server

	closeOnce sync.Once
	closeErr  error

	uploads     atomic.Uint64
	downloads   atomic.Uint64
	rateLimited atomic.Uint64
	purged      atomic.Uint64
	// refusedUploads counts uploads refused: quota, full, slow.
	refusedUploads [3]atomic.Uint64
}

// Upload refusals (Stats.UploadsRefused*).
const (
	refusedQuota = iota
	refusedFull
	refusedSlow
)

// Stats are the blob server's counters.
type Stats struct {
	// BytesStored is the total size of the stored blobs (with
	// Config.Database, of every node's, read at most once a second; with
	// Config.S3, every 30 s).
	BytesStored int64
	// ConnsRefused counts connections closed on accept: over the bound per
	// client address, and over the bound in total (counters).
	ConnsRefusedPerAddr, ConnsRefusedTotal uint64
	// Blobs is the number of stored blobs (with Config.Database, of every
	// node's, read at most once a second; with Config.S3, every 30 s).
	Blobs int64
	// Uploads counts completed uploads since New.
	Uploads uint64
	// Downloads counts served downloads since New.
	Downloads uint64
	// Purged counts blobs deleted for age since New.
	Purged uint64
	// RateLimited counts requests refused with 429 since New.
	RateLimited uint64
	// UploadsRefusedQuota, UploadsRefusedFull and UploadsRefusedSlow count
	// uploads refused over the address's quota (429), above the storage
	// watermark (507) and for too slow a body (408) (counters).
	UploadsRefusedQuota, UploadsRefusedFull, UploadsRefusedSlow uint64
	// UploadsInProgress is the number of uploads this node is writing (on
	// files, the temp files).
	UploadsInProgress int
	// TrackedIPs is the number of client addresses with rate limiter state.
	TrackedIPs int
}

// New opens the store (cfg.S3, cfg.Database, or the files in cfg.DataDir,
// removing uploads a crash left behind) and binds cfg.Addr.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeQueryTimeout)
	defer cancel()
	st, err := openBlobStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = st.close()
		return nil, fmt.Errorf("blob: listen: %w", err)
	}
	s := &Server{
		cfg:    cfg,
		log:    cfg.Logger.With("component", "blob"),
		store:  st,
		limits: ratelimit.NewTable(cfg.MaxTrackedIPs, cfg.RateLimit, cfg.UploadQuota),
		ln:     connlimit.Wrap(ln, cfg.Conns),
	}
	mux := http.NewServeMux()
	mux.Handle("POST /"+wire.UploadPath, s.limit(s.handleUpload))
	mux.Handle("GET /{id}", s.limit(s.handleDownload))
	mux.Handle("POST /{id}/"+wire.DonePath, s.limit(s.handleDone))
	mux.Handle("/", s.limit(http.NotFound))
	s.http = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       bodyTimeout,
		WriteTimeout:      bodyTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the base URL of the API, ending in "/".
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Run serves and purges expired blobs every PurgeInterval until ctx is
// cancelled, then shuts down gracefully and closes the store. It returns
// once every request and the purge loop have finished.
func (s *Server) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { s.purgeLoop(ctx) })
	s.log.Info("blob server listening", "url", s.URL())
	var serveErr error
	if err := httpserve.Serve(ctx, s.http, s.ln, shutdownTimeout, s.log); err != nil {
		serveErr = fmt.Errorf("blob: %w", err)
	}
	cancel()
	wg.Wait()
	return errors.Join(serveErr, s.Close())
}

// Close releases the listener and the store. Run calls it; call it
// directly only when Run is never called. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.closeErr = fmt.Errorf("blob: close: %w", err)
		}
		s.closeErr = errors.Join(s.closeErr, s.store.close())
	})
	return s.closeErr
}

// Stats reports the server's counters.
func (s *Server) Stats() Stats {
	ctx, cancel := context.WithTimeout(context.Background(), storeQueryTimeout)
	defer cancel()
	u, err := s.store.usage(ctx)
	if err != nil {
		s.log.Warn("stats: stored blobs unknown", "err", err)
	}
	return Stats{
		BytesStored:         u.bytes,
		Blobs:               u.blobs,
		Uploads:             s.uploads.Load(),
		Downloads:           s.downloads.Load(),
		Purged:              s.purged.Load(),
		RateLimited:         s.rateLimited.Load(),
		UploadsInProgress:   s.store.uploadsInProgress(),
		TrackedIPs:          s.limits.Tracked(),
		UploadsRefusedQuota: s.refusedUploads[refusedQuota].Load(),
		UploadsRefusedFull:  s.refusedUploads[refusedFull].Load(),
		UploadsRefusedSlow:  s.refusedUploads[refusedSlow].Load(),
		ConnsRefusedPerAddr: s.ln.(*connlimit.Listener).Refused(connlimit.RefusedPerAddr),
		ConnsRefusedTotal:   s.ln.(*connlimit.Listener).Refused(connlimit.RefusedTotal),
	}
}

// limit charges the request to its client's budget; 429 with Retry-After
// when it is exhausted.
func (s *Server) limit(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, _, wait := s.limits.Allow(ratelimit.ClientAddr(r), s.cfg.Now(), 0); !ok {
			s.rateLimited.Add(1)
			w.Header().Set("Retry-After", ratelimit.RetryAfter(wait))
			http.Error(w, "rate limited", http.StatusTooManyRequests)
			return
		}
		h(w, r)
	})
}

// fail answers err with its status code; server errors are logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, wire.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, wire.ErrInvalidID), errors.Is(err, wire.ErrNoBlobField), errors.Is(err, wire.ErrMalformedUpload):
		status = http.StatusBadRequest
	case errors.Is(err, wire.ErrTooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, wire.ErrQuota):
		status = http.StatusTooManyRequests
		var q *quotaError
		if errors.As(err, &q) {
			w.Header().Set("Retry-After", ratelimit.RetryAfter(q.wait))
		}
	case errors.Is(err, wire.ErrFull):
		status = http.StatusInsufficientStorage
	case errors.Is(err, wire.ErrSlowUpload):
		status = http.StatusRequestTimeout
	}
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", status)
		return
	}
	http.Error(w, err.Error(), status)
}
