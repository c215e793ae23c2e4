package directory

import (
	"context"
	"fmt"
	"net/http"

	wire "github.com/kurier/kurier/protocol/directory"
)

// authAction performs an authenticated call once the caller has proved
// possession of the identity's key, and returns the response body.
type authAction func(ctx context.Context, req authRequest) (any, error)

// authenticated wraps an authenticated call (§4 "Challenge–response"): phase
// 1 (no token) issues a token bound to the identity, its registered key and
// the call; phase 2 redeems it, checks the BLAKE2b response and runs do.
func (s *Server) authenticated(call string, do authAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := s.readBody(w, r)
		if err != nil {
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, err))
			return
		}
		req, err := decodeAuth(body, call)
		if err != nil {
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, err))
			return
		}
		it, err := s.store.identity(r.Context(), req.identity)
		if err != nil {
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, err))
			return
		}
		if it.State == wire.StateInvalid {
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, wire.ErrRevoked))
			return
		}
		binding := tokenBinding{call: call, identity: it.ID, key: it.PublicKey}
		if !req.phase2 {
			s.issueChallenge(w, r, binding)
			return
		}
		if err := s.tokens.redeem(r.Context(), s.cfg.Now(), req.token, binding); err != nil {
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, err))
			return
		}
		if err := verifyResponse(s.cfg.ChallengeKey.Secret, it.PublicKey, req.token, req.response, req.nonce); err != nil {
			s.log.Info("authenticated call refused", "call", call, "identity", it.ID, "reason", wire.ErrorTypeOf(err))
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, err))
			return
		}
		resp, err := do(r.Context(), req)
		if err != nil {
			s.fail(w, r, fmt.Errorf("directory: %s: %w", call, err))
			return
		}
		s.log.Info("authenticated call", "call", call, "identity", it.ID)
		s.writeJSON(w, resp)
	}
}

// doSetFeatureMask serves identity/set_featuremask.
func (s *Server) doSetFeatureMask(ctx context.Context, req authRequest) (any, error) {
	if err := s.store.setFeatureMask(ctx, req.identity, req.featureMask); err != nil {
		return nil, err
	}
	return wire.SuccessResponse{Success: true}, nil
}

// doLinkEmail serves identity/link_email. Only the hashes of the address are
// stored (both gmail spellings); an empty address unlinks. A production
// directory would send a verification mail first; this QA backend links at
// once and answers linked:true.
func (s *Server) doLinkEmail(ctx context.Context, req authRequest) (any, error) {
	if err := s.store.linkHashes(ctx, req.identity, hashKindEmail, wire.HashEmail(req.email)); err != nil {
		return nil, err
	}
	return wire.LinkResponse{Success: true, Linked: req.email != ""}, nil
}

// doLinkMobile serves identity/link_mobileno. Only the hash of the number is
// stored; an empty number unlinks. A production directory would send a
// verification SMS first; this QA backend links at once.
func (s *Server) doLinkMobile(ctx context.Context, req authRequest) (any, error) {
	var hashes [][]byte
	if req.mobileNo != "" {
		hashes = [][]byte{wire.HashPhone(req.mobileNo)}
	}
	if err := s.store.linkHashes(ctx, req.identity, hashKindPhone, hashes); err != nil {
		return nil, err
	}
	return wire.LinkResponse{Success: true, Linked: req.mobileNo != ""}, nil
}

// doRevoke serves identity/revoke: the identity becomes state 2 (invalid)
// for good, its links are dropped and its key can never be registered again.
func (s *Server) doRevoke(ctx context.Context, req authRequest) (any, error) {
	if err := s.store.revoke(ctx, req.identity, s.cfg.Now()); err != nil {
		return nil, err
	}
	return wire.SuccessResponse{Success: true}, nil
}
