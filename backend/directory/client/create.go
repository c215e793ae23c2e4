package client

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/directory"
)

// Create registers kp's public key as a new identity (identity/create, both
// phases, answering the challenge with the BLAKE2b response) and returns the
// new ID.
func (c *Client) Create(ctx context.Context, kp cryptobox.KeyPair) (string, error) {
	req := directory.CreateRequest{PublicKey: kp.Public[:]}
	var ch directory.ChallengeResponse
	if err := c.do(ctx, "POST", "identity/create", req, &ch); err != nil {
		return "", fmt.Errorf("directory client: create: %w", err)
	}
	resp, err := answer(kp.Secret, ch)
	if err != nil {
		return "", fmt.Errorf("directory client: create: %w", err)
	}
	req.Token, req.Response = ch.Token, resp
	var out directory.CreateResponse
	if err := c.do(ctx, "POST", "identity/create", req, &out); err != nil {
		return "", fmt.Errorf("directory client: create: %w", err)
	}
	if !out.Success || !directory.ValidID(out.Identity) {
		return "", fmt.Errorf("directory client: create: %w: no identity in answer", ErrUnexpectedResponse)
	}
	return out.Identity, nil
}

// answer computes the response to a challenge.
func answer(sk cryptobox.SecretKey, ch directory.ChallengeResponse) ([]byte, error) {
	pub, err := cryptobox.ParsePublicKey(ch.TokenRespKeyPub)
	if err != nil {
		return nil, fmt.Errorf("%w: tokenRespKeyPub: %w", ErrUnexpectedResponse, err)
	}
	if len(ch.Token) == 0 {
		return nil, fmt.Errorf("%w: empty token", ErrUnexpectedResponse)
	}
	r, err := directory.TokenResponse(sk, pub, ch.Token)
	if err != nil {
		return nil, err
	}
	return r[:], nil
}
