package client

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/directory"
)

// authenticated runs an authenticated call in two phases: post req, answer
// the challenge with kp, post req again with token and response.
func (c *Client) authenticated(ctx context.Context, path string, kp cryptobox.KeyPair, req directory.AuthRequest, out any) error {
	var ch directory.ChallengeResponse
	if err := c.do(ctx, "POST", path, req, &ch); err != nil {
		return err
	}
	resp, err := answer(kp.Secret, ch)
	if err != nil {
		return err
	}
	req.Token, req.Response = ch.Token, resp
	return c.do(ctx, "POST", path, req, out)
}

// SetFeatureMask sets the feature mask of identity id, proving possession of
// its key pair kp (identity/set_featuremask).
func (c *Client) SetFeatureMask(ctx context.Context, id string, kp cryptobox.KeyPair, mask uint64) error {
	var out directory.SuccessResponse
	req := directory.AuthRequest{Identity: id, FeatureMask: &mask}
	if err := c.authenticated(ctx, "identity/set_featuremask", kp, req, &out); err != nil {
		return fmt.Errorf("directory client: set feature mask: %w", err)
	}
	return nil
}

// LinkEmail links an e-mail address to identity id (identity/link_email);
// the server keeps only its hashes. An empty address unlinks.
func (c *Client) LinkEmail(ctx context.Context, id string, kp cryptobox.KeyPair, email string) error {
	var out directory.LinkResponse
	req := directory.AuthRequest{Identity: id, Email: &email}
	if err := c.authenticated(ctx, "identity/link_email", kp, req, &out); err != nil {
		return fmt.Errorf("directory client: link email: %w", err)
	}
	return nil
}

// LinkMobile links a phone number in E.164 form ("+41791234567") to
// identity id (identity/link_mobileno); the server keeps only its hash. An
// empty number unlinks.
func (c *Client) LinkMobile(ctx context.Context, id string, kp cryptobox.KeyPair, e164 string) error {
	var out directory.LinkResponse
	req := directory.AuthRequest{Identity: id, MobileNo: &e164}
	if err := c.authenticated(ctx, "identity/link_mobileno", kp, req, &out); err != nil {
		return fmt.Errorf("directory client: link mobile: %w", err)
	}
	return nil
}

// Revoke revokes identity id for good (identity/revoke): it then reports
// state 2 (invalid) and is no longer matched.
func (c *Client) Revoke(ctx context.Context, id string, kp cryptobox.KeyPair) error {
	var out directory.SuccessResponse
	if err := c.authenticated(ctx, "identity/revoke", kp, directory.AuthRequest{Identity: id}, &out); err != nil {
		return fmt.Errorf("directory client: revoke: %w", err)
	}
	return nil
}
