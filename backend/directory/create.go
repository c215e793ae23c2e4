package directory

import (
	"github.com/kurier/kurier/internal/ratelimit"
	wire "github.com/kurier/kurier/protocol/directory"

	"context"
	"errors"
	"fmt"
	"net/http"
)

// maxIDAttempts bounds the draws of a fresh identity; with 36^8 IDs a
// collision is rare, so running out means the random source is broken.
const maxIDAttempts = 16

// idAlphabet is the alphabet of new identities (§3.6, no Gateway "*").
const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// handleCreate serves POST identity/create (§4): phase 1 issues a token bound
// to the public key, phase 2 checks the BLAKE2b response and registers.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: create: %w", err))
		return
	}
	req, err := decodeCreate(body)
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: create: %w", err))
		return
	}
	if err := s.checkRegistrable(r.Context(), req); err != nil {
		s.fail(w, r, fmt.Errorf("directory: create: %w", err))
		return
	}
	binding := tokenBinding{call: "create", key: req.publicKey}
	if !req.phase2 {
		s.issueChallenge(w, r, binding)
		return
	}
	if err := s.tokens.redeem(r.Context(), s.cfg.Now(), req.token, binding); err != nil {
		s.fail(w, r, fmt.Errorf("directory: create: %w", err))
		return
	}
	if err := verifyResponse(s.cfg.ChallengeKey.Secret, req.publicKey, req.token, req.response, req.nonce); err != nil {
		s.log.Info("identity creation refused", "remote", ratelimit.ClientAddr(r), "reason", wire.ErrorTypeOf(err))
		s.fail(w, r, fmt.Errorf("directory: create: %w", err))
		return
	}
	id, err := s.register(r.Context(), req)
	if err != nil {
		s.fail(w, r, fmt.Errorf("directory: create: %w", err))
		return
	}
	s.stats.registered.Add(1)
	s.log.Info("identity registered", "identity", id)
	s.writeJSON(w, wire.CreateResponse{Success: true, Identity: id, ServerGroup: s.cfg.ServerGroup})
}

// checkRegistrable refuses server keys, low-order keys and keys already
// registered, in both phases, so no token is wasted on them.
func (s *Server) checkRegistrable(ctx context.Context, req createRequest) error {
	if req.publicKey.Equal(s.cfg.ChallengeKey.Public) {
		return wire.ErrKeyReserved
	}
	for _, k := range s.cfg.ReservedKeys {
		if req.publicKey.Equal(k) {
			return wire.ErrKeyReserved
		}
	}
	if err := checkKey(req.publicKey, s.cfg.ChallengeKey.Secret); err != nil {
		return err
	}
	used, err := s.store.keyRegistered(ctx, req.publicKey)
	if err != nil {
		return err
	}
	if used {
		return wire.ErrKeyInUse
	}
	return nil
}

// issueChallenge answers phase 1 of create and of authenticated calls.
func (s *Server) issueChallenge(w http.ResponseWriter, r *http.Request, b tokenBinding) {
	tok, err := s.tokens.issue(r.Context(), s.cfg.Now(), b)
	if err != nil {
		if errors.Is(err, wire.ErrBusy) {
			w.Header().Set("Retry-After", "1")
		}
		s.fail(w, r, fmt.Errorf("directory: challenge: %w", err))
		return
	}
	s.writeJSON(w, wire.ChallengeResponse{Token: tok, TokenRespKeyPub: s.cfg.ChallengeKey.Public[:]})
}

// register draws a free identity for the key and stores it.
func (s *Server) register(ctx context.Context, req createRequest) (string, error) {
	for range maxIDAttempts {
		id, err := s.drawID()
		if err != nil {
			return "", err
		}
		err = s.store.insertIdentity(ctx, id, req.publicKey, s.cfg.Now())
		if errors.Is(err, errDuplicateID) {
			continue
		}
		if err != nil {
			return "", err
		}
		return id, nil
	}
	return "", ErrIDSpaceExhausted
}

// drawID draws a uniformly random identity from the injected source
// (rejection sampling: bytes ≥ 252 = 7·36 are redrawn).
func (s *Server) drawID() (string, error) {
	var id [wire.IDLength]byte
	var buf [wire.IDLength * 2]byte
	n := 0
	for n < wire.IDLength {
		if _, err := s.cfg.Rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("directory: draw identity: %w", err)
		}
		for _, b := range buf {
			if b >= 252 || n == wire.IDLength {
				continue
			}
			id[n] = idAlphabet[int(b)%len(idAlphabet)]
			n++
		}
	}
	return string(id[:]), nil
}
