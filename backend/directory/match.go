package directory

import (
	"fmt"
	"net/http"

	wire "github.com/kurier/kurier/protocol/directory"
)

// handleMatch serves POST identity/match: the identities linked to any of
// the given e-mail or phone hashes, never revoked ones, inactive ones only
// with includeInactive. The hashes are neither logged nor kept.
func (s *Server) handleMatch(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: match: %w", err))
		return
	}
	req, err := decodeMatch(body, s.cfg.MaxBatch)
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: match: %w", err))
		return
	}
	if n := len(req.emailHashes) + len(req.phoneHashes); n > 0 {
		if !s.charge(w, r, n, classMatchHashes) {
			return
		}
	}
	emails, err := s.store.matchHashes(r.Context(), hashKindEmail, req.emailHashes, req.includeInactive)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	phones, err := s.store.matchHashes(r.Context(), hashKindPhone, req.phoneHashes, req.includeInactive)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := wire.MatchResponse{Identities: []wire.MatchedIdentity{}, CheckInterval: int(s.cfg.CheckInterval.Seconds())}
	index := make(map[string]int)
	for _, m := range append(emails, phones...) {
		i, ok := index[m.identity.ID]
		if !ok {
			i = len(out.Identities)
			index[m.identity.ID] = i
			out.Identities = append(out.Identities, wire.MatchedIdentity{Identity: m.identity.ID, PublicKey: m.identity.PublicKey[:]})
		}
		e := &out.Identities[i]
		switch {
		case m.kind == hashKindEmail && e.EmailHash == nil:
			e.EmailHash = m.hash
		case m.kind == hashKindPhone && e.MobileNoHash == nil:
			e.MobileNoHash = m.hash
		}
	}
	s.writeJSON(w, out)
}
