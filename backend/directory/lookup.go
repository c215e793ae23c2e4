package directory

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	wire "github.com/kurier/kurier/protocol/directory"
)

var _ wire.Lookup = (*Server)(nil)

// LookupIdentity reads an identity from the store (the in-process
// wire.Lookup of the all-in-one backend). An unknown or malformed ID is
// wire.ErrNotFound; a revoked identity is returned with wire.StateInvalid.
func (s *Server) LookupIdentity(ctx context.Context, id string) (wire.Identity, error) {
	if !wire.ValidID(id) {
		return wire.Identity{}, fmt.Errorf("directory: lookup: %w", wire.ErrNotFound)
	}
	it, err := s.store.identity(ctx, id)
	if err != nil {
		return wire.Identity{}, fmt.Errorf("directory: lookup: %w", err)
	}
	return it, nil
}

// featureLevel is the deprecated featureLevel derived from a feature mask
// (AND ThreemaFeature: 0 text, 1 audio+groups, 2 polls, 3 files, 4 calls).
func featureLevel(mask uint64) int {
	switch {
	case mask&0x10 != 0:
		return 4
	case mask&0x08 != 0:
		return 3
	case mask&0x04 != 0:
		return 2
	case mask&0x03 != 0:
		return 1
	default:
		return 0
	}
}

func identityResponse(it wire.Identity) wire.IdentityResponse {
	return wire.IdentityResponse{
		Identity:     it.ID,
		PublicKey:    it.PublicKey[:],
		FeatureLevel: featureLevel(it.FeatureMask),
		FeatureMask:  it.FeatureMask,
		State:        int(it.State),
		Type:         it.Type,
	}
}

// handleLookup serves GET identity/{ID}: 404 when unknown.
func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	if !s.chargeIDs(w, r, 1) {
		return
	}
	it, err := s.LookupIdentity(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, identityResponse(it))
}

// readIdentities reads and validates a {identities:[…]} body, charges them
// to the lookup budget and loads them. refused is true when the budget
// refused them (the 429 is already written).
func (s *Server) readIdentities(w http.ResponseWriter, r *http.Request) (ids []string, known map[string]wire.Identity, err error) {
	body, err := s.readBody(w, r)
	if err != nil {
		return nil, nil, err
	}
	ids, err = decodeIdentities(body, s.cfg.MaxBatch)
	if err != nil {
		return nil, nil, err
	}
	if !s.chargeIDs(w, r, distinct(ids)) {
		return nil, nil, errRefused
	}
	known, err = s.store.identities(r.Context(), ids)
	if err != nil {
		return nil, nil, err
	}
	return ids, known, nil
}

// errRefused marks a request already answered with 429.
var errRefused = errors.New("directory: refused by the lookup budget")

// distinct counts the different identities of ids (a repeated one costs once).
func distinct(ids []string) int {
	seen := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		seen[id] = struct{}{}
	}
	return len(seen)
}

// handleFetchBulk serves POST identity/fetch_bulk; unknown IDs are left out.
func (s *Server) handleFetchBulk(w http.ResponseWriter, r *http.Request) {
	ids, known, err := s.readIdentities(w, r)
	if errors.Is(err, errRefused) {
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: fetch bulk: %w", err))
		return
	}
	out := wire.FetchBulkResponse{Identities: make([]wire.IdentityResponse, 0, len(known))}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if it, ok := known[id]; ok && !seen[id] {
			seen[id] = true
			out.Identities = append(out.Identities, identityResponse(it))
		}
	}
	s.writeJSON(w, out)
}

// handleCheck serves POST identity/check, index-aligned with the request;
// unknown IDs report state 2 (invalid), type 0 and feature mask 0.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	ids, known, err := s.readIdentities(w, r)
	if errors.Is(err, errRefused) {
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: check: %w", err))
		return
	}
	out := wire.CheckResponse{
		Identities:    ids,
		States:        make([]int, len(ids)),
		Types:         make([]int, len(ids)),
		FeatureMasks:  make([]uint64, len(ids)),
		CheckInterval: int(s.cfg.CheckInterval.Seconds()),
	}
	for i, id := range ids {
		it, ok := known[id]
		if !ok {
			out.States[i] = int(wire.StateInvalid)
			continue
		}
		out.States[i], out.Types[i], out.FeatureMasks[i] = int(it.State), it.Type, it.FeatureMask
	}
	if out.Identities == nil {
		out.Identities = []string{}
	}
	s.writeJSON(w, out)
}

// handleCheckFeatureMask serves POST identity/check_featuremask; unknown and
// revoked IDs report null.
func (s *Server) handleCheckFeatureMask(w http.ResponseWriter, r *http.Request) {
	ids, known, err := s.readIdentities(w, r)
	if errors.Is(err, errRefused) {
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: check feature mask: %w", err))
		return
	}
	out := wire.CheckFeatureMaskResponse{FeatureMasks: make([]*uint64, len(ids))}
	for i, id := range ids {
		if it, ok := known[id]; ok && it.State != wire.StateInvalid {
			m := it.FeatureMask
			out.FeatureMasks[i] = &m
		}
	}
	s.writeJSON(w, out)
}
