package blob

import (
	"fmt"
	"net/http"
	"time"

	wire "github.com/kurier/kurier/protocol/blob"
)

// handleDownload serves GET /{id}: the blob's bytes (Range supported), 404
// for an unknown or expired blob, 400 for a malformed id.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	id, err := wire.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, info, err := s.store.open(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer func() { _ = f.Close() }()
	if s.expired(info.uploaded) {
		s.fail(w, r, fmt.Errorf("%w: expired", wire.ErrNotFound))
		return
	}
	s.downloads.Add(1)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "", time.Time{}, f)
}

// handleDone serves POST /{id}/done: the receiver has the blob, so it is
// deleted (204); 404 if it is already gone.
func (s *Server) handleDone(w http.ResponseWriter, r *http.Request) {
	id, err := wire.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.remove(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// expired reports whether a blob uploaded at t is past its retention.
func (s *Server) expired(uploaded time.Time) bool {
	return !s.cfg.Now().Before(uploaded.Add(s.cfg.Retention))
}
