package client

import (
	"context"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/directory"
)

// Match is one identity found by contact matching.
type Match struct {
	ID        string              // the matched identity
	PublicKey cryptobox.PublicKey // its key
	EmailHash []byte              // the e-mail hash that matched, or nil
	PhoneHash []byte              // the phone hash that matched, or nil
}

// MatchResult is the answer of Match.
type MatchResult struct {
	// Matches are the identities found; revoked ones never appear.
	Matches []Match
	// CheckInterval is how long the client should wait before matching again.
	CheckInterval time.Duration
}

// Match finds the identities linked to any of the given contact hashes
// (identity/match); build them with directory.HashEmail and
// directory.HashPhone. Revoked identities are never returned.
func (c *Client) Match(ctx context.Context, emailHashes, phoneHashes [][]byte) (MatchResult, error) {
	req := directory.MatchRequest{EmailHashes: nonNil(emailHashes), MobileNoHashes: nonNil(phoneHashes)}
	var out directory.MatchResponse
	if err := c.do(ctx, "POST", "identity/match", req, &out); err != nil {
		return MatchResult{}, fmt.Errorf("directory client: match: %w", err)
	}
	res := MatchResult{
		Matches:       make([]Match, 0, len(out.Identities)),
		CheckInterval: time.Duration(out.CheckInterval) * time.Second,
	}
	for _, m := range out.Identities {
		pub, err := cryptobox.ParsePublicKey(m.PublicKey)
		if err != nil || !directory.ValidID(m.Identity) {
			return MatchResult{}, fmt.Errorf("directory client: match: %w: malformed identity", ErrUnexpectedResponse)
		}
		res.Matches = append(res.Matches, Match{ID: m.Identity, PublicKey: pub, EmailHash: m.EmailHash, PhoneHash: m.MobileNoHash})
	}
	return res, nil
}
