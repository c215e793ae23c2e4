package client

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/directory"
)

// LookupIdentity fetches one identity (GET identity/{ID}); an unknown one is
// ErrNotFound (directory.ErrNotFound).
func (c *Client) LookupIdentity(ctx context.Context, id string) (directory.Identity, error) {
	if !directory.ValidID(id) {
		return directory.Identity{}, fmt.Errorf("directory client: lookup: %w", ErrNotFound)
	}
	var out directory.IdentityResponse
	if err := c.do(ctx, "GET", "identity/"+url.PathEscape(id), nil, &out); err != nil {
		return directory.Identity{}, fmt.Errorf("directory client: lookup: %w", err)
	}
	it, err := toIdentity(out)
	if err != nil {
		return directory.Identity{}, fmt.Errorf("directory client: lookup: %w", err)
	}
	return it, nil
}

func toIdentity(r directory.IdentityResponse) (directory.Identity, error) {
	pub, err := cryptobox.ParsePublicKey(r.PublicKey)
	if err != nil {
		return directory.Identity{}, fmt.Errorf("%w: publicKey: %w", ErrUnexpectedResponse, err)
	}
	if !directory.ValidID(r.Identity) {
		return directory.Identity{}, fmt.Errorf("%w: identity malformed", ErrUnexpectedResponse)
	}
	return directory.Identity{
		ID:          r.Identity,
		PublicKey:   pub,
		FeatureMask: r.FeatureMask,
		State:       directory.IdentityState(r.State),
		Type:        r.Type,
	}, nil
}

// FetchBulk fetches several identities (identity/fetch_bulk); unknown IDs
// are missing from the result.
func (c *Client) FetchBulk(ctx context.Context, ids []string) ([]directory.Identity, error) {
	var out directory.FetchBulkResponse
	if err := c.do(ctx, "POST", "identity/fetch_bulk", directory.IdentitiesRequest{Identities: nonNil(ids)}, &out); err != nil {
		return nil, fmt.Errorf("directory client: fetch bulk: %w", err)
	}
	its := make([]directory.Identity, 0, len(out.Identities))
	for _, r := range out.Identities {
		it, err := toIdentity(r)
		if err != nil {
			return nil, fmt.Errorf("directory client: fetch bulk: %w", err)
		}
		its = append(its, it)
	}
	return its, nil
}

// IdentityStatus is one entry of a Check result.
type IdentityStatus struct {
	ID          string                  // the requested ID
	State       directory.IdentityState // StateInvalid for unknown IDs
	Type        int                     // directory.TypeRegular or TypeWork
	FeatureMask uint64                  // feature bits; 0 for unknown IDs
}

// CheckResult is the answer of Check.
type CheckResult struct {
	// Identities is index-aligned with the requested IDs.
	Identities []IdentityStatus
	// CheckInterval is how long the client should wait before checking again.
	CheckInterval time.Duration
}

// Check reports the state, type and feature mask of each identity
// (identity/check).
func (c *Client) Check(ctx context.Context, ids []string) (CheckResult, error) {
	var out directory.CheckResponse
	if err := c.do(ctx, "POST", "identity/check", directory.IdentitiesRequest{Identities: nonNil(ids)}, &out); err != nil {
		return CheckResult{}, fmt.Errorf("directory client: check: %w", err)
	}
	if len(out.States) != len(ids) || len(out.Types) != len(ids) || len(out.FeatureMasks) != len(ids) {
		return CheckResult{}, fmt.Errorf("directory client: check: %w: %d answers for %d identities",
			ErrUnexpectedResponse, len(out.States), len(ids))
	}
	res := CheckResult{
		Identities:    make([]IdentityStatus, len(ids)),
		CheckInterval: time.Duration(out.CheckInterval) * time.Second,
	}
	for i, id := range ids {
		res.Identities[i] = IdentityStatus{
			ID:          id,
			State:       directory.IdentityState(out.States[i]),
			Type:        out.Types[i],
			FeatureMask: out.FeatureMasks[i],
		}
	}
	return res, nil
}

// FeatureMask is one entry of a CheckFeatureMask result.
type FeatureMask struct {
	// ID is the requested ID.
	ID string
	// Mask is the feature mask; meaningful only when Known.
	Mask uint64
	// Known is false for unknown and revoked identities (null on the wire).
	Known bool
}

// CheckFeatureMask reports the feature mask of each identity
// (identity/check_featuremask), index-aligned with ids.
func (c *Client) CheckFeatureMask(ctx context.Context, ids []string) ([]FeatureMask, error) {
	var out directory.CheckFeatureMaskResponse
	if err := c.do(ctx, "POST", "identity/check_featuremask", directory.IdentitiesRequest{Identities: nonNil(ids)}, &out); err != nil {
		return nil, fmt.Errorf("directory client: check feature mask: %w", err)
	}
	if len(out.FeatureMasks) != len(ids) {
		return nil, fmt.Errorf("directory client: check feature mask: %w: %d answers for %d identities",
			ErrUnexpectedResponse, len(out.FeatureMasks), len(ids))
	}
	res := make([]FeatureMask, len(ids))
	for i, id := range ids {
		res[i].ID = id
		if m := out.FeatureMasks[i]; m != nil {
			res[i].Mask, res[i].Known = *m, true
		}
	}
	return res, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
