package control

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/kurier/kurier/phone/webclient"
)

// pairTimeout bounds POST /v1/pair: the desktop must be showing its code.
const pairTimeout = 60 * time.Second

// Option configures a Server.
type Option func(*Server)

// WithDesktops serves POST /v1/pair, GET /v1/sessions and DELETE
// /v1/sessions/{id} through d (paired desktops, package phone/webclient).
func WithDesktops(d *webclient.Server) Option {
	return func(s *Server) { s.desktops = d }
}

// PairRequest is the body of POST /v1/pair.
type PairRequest struct {
	// QR is the text of the desktop's pairing QR code (base64). It is never logged.
	QR string `json:"qr"`
}

// registerSessions adds the desktop routes when a desktop server is configured.
func (s *Server) registerSessions() {
	if s.desktops == nil {
		return
	}
	s.mux.HandleFunc("POST /v1/pair", s.handlePair)
	s.mux.HandleFunc("GET /v1/sessions", s.handleSessions)
	s.mux.HandleFunc("DELETE /v1/sessions/{id}", s.handleRevoke)
}

// handlePair pairs with the desktop showing the code and answers the new
// session once its data channel is open.
func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var req PairRequest
	if err := json.Unmarshal(b, &req); err != nil || req.QR == "" {
		writeError(w, fmt.Errorf("%w: body must be {\"qr\": …}", ErrBadRequest))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), pairTimeout)
	defer cancel()
	sess, err := s.desktops.Pair(ctx, req.QR)
	if err != nil {
		s.log.Info("pairing failed", "err", err)
		writeError(w, err)
		return
	}
	list, err := s.desktops.Sessions(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	for _, x := range list {
		if x.ID == sess.ID() {
			writeJSON(w, http.StatusCreated, x)
			return
		}
	}
	writeJSON(w, http.StatusCreated, webclient.SessionInfo{ID: sess.ID(), Active: true})
}

// handleSessions lists the desktop sessions.
func (s *Server) handleSessions(w http.ResponseWriter, r *http.Request) {
	list, err := s.desktops.Sessions(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// handleRevoke revokes a desktop session.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if err := s.desktops.Revoke(r.Context(), r.PathValue("id")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
