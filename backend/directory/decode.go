package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

// Request decoders: JSON bodies to validated requests. Each is a fuzz target
// (decode_fuzz_test.go) and never trusts a length or a count from the wire.

// Limits of the link calls' plaintext fields.
const (
	maxEmailLength = 254
	minPhoneDigits = 5
	maxPhoneDigits = 20
)

// unmarshal decodes one JSON object; trailing data is an error.
func unmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", wire.ErrBadRequest, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: trailing data after JSON object", wire.ErrBadRequest)
	}
	return nil
}

// createRequest is a validated identity/create body.
type createRequest struct {
	publicKey cryptobox.PublicKey
	phase2    bool
	token     []byte
	response  []byte
	nonce     []byte
}

func decodeCreate(body []byte) (createRequest, error) {
	var req wire.CreateRequest
	if err := unmarshal(body, &req); err != nil {
		return createRequest{}, err
	}
	pub, err := cryptobox.ParsePublicKey(req.PublicKey)
	if err != nil {
		return createRequest{}, fmt.Errorf("%w: publicKey: %w", wire.ErrBadRequest, err)
	}
	out := createRequest{publicKey: pub, token: req.Token, response: req.Response, nonce: req.Nonce}
	switch {
	case req.Token == nil && req.Response == nil && req.Nonce == nil:
	case req.Token != nil && req.Response != nil:
		out.phase2 = true
	default:
		return createRequest{}, fmt.Errorf("%w: phase 2 needs token and response", wire.ErrBadRequest)
	}
	return out, nil
}

// decodeIdentities decodes a {identities:[…]} body of at most maxBatch
// well-formed IDs.
func decodeIdentities(body []byte, maxBatch int) ([]string, error) {
	var req wire.IdentitiesRequest
	if err := unmarshal(body, &req); err != nil {
		return nil, err
	}
	if len(req.Identities) > maxBatch {
		return nil, fmt.Errorf("%w: %d identities, at most %d", wire.ErrTooLarge, len(req.Identities), maxBatch)
	}
	for i, id := range req.Identities {
		if !wire.ValidID(id) {
			return nil, fmt.Errorf("%w: identities[%d] is not an identity", wire.ErrBadRequest, i)
		}
	}
	return req.Identities, nil
}

// matchRequest is a validated identity/match body.
type matchRequest struct {
	emailHashes     [][]byte
	phoneHashes     [][]byte
	includeInactive bool
}

func decodeMatch(body []byte, maxBatch int) (matchRequest, error) {
	var req wire.MatchRequest
	if err := unmarshal(body, &req); err != nil {
		return matchRequest{}, err
	}
	if n := len(req.EmailHashes) + len(req.MobileNoHashes); n > maxBatch {
		return matchRequest{}, fmt.Errorf("%w: %d hashes, at most %d", wire.ErrTooLarge, n, maxBatch)
	}
	for _, hs := range [][][]byte{req.EmailHashes, req.MobileNoHashes} {
		for i, h := range hs {
			if len(h) != wire.HashSize {
				return matchRequest{}, fmt.Errorf("%w: hash %d of %d bytes", wire.ErrBadRequest, i, len(h))
			}
		}
	}
	return matchRequest{emailHashes: req.EmailHashes, phoneHashes: req.MobileNoHashes, includeInactive: req.IncludeInactive}, nil
}

// Authenticated calls, as the token binding names them.
const (
	callSetFeatureMask = "set_featuremask"
	callLinkEmail      = "link_email"
	callLinkMobile     = "link_mobileno"
	callRevoke         = "revoke"
)

// authRequest is a validated body of an authenticated call.
type authRequest struct {
	identity    string
	phase2      bool
	token       []byte
	response    []byte
	nonce       []byte
	featureMask uint64
	email       string // lower-cased and trimmed; empty unlinks
	mobileNo    string // digits only; empty unlinks
}

func decodeAuth(body []byte, call string) (authRequest, error) {
	var req wire.AuthRequest
	if err := unmarshal(body, &req); err != nil {
		return authRequest{}, err
	}
	if !wire.ValidID(req.Identity) || req.Identity[0] == '*' {
		return authRequest{}, fmt.Errorf("%w: identity is not an identity", wire.ErrBadRequest)
	}
	out := authRequest{identity: req.Identity, token: req.Token, response: req.Response, nonce: req.Nonce}
	switch {
	case req.Token == nil && req.Response == nil && req.Nonce == nil:
	case req.Token != nil && req.Response != nil:
		out.phase2 = true
	default:
		return authRequest{}, fmt.Errorf("%w: phase 2 needs token and response", wire.ErrBadRequest)
	}
	switch call {
	case callSetFeatureMask:
		if req.FeatureMask == nil {
			return authRequest{}, fmt.Errorf("%w: featureMask missing", wire.ErrBadRequest)
		}
		out.featureMask = *req.FeatureMask
	case callLinkEmail:
		if req.Email == nil {
			return authRequest{}, fmt.Errorf("%w: email missing", wire.ErrBadRequest)
		}
		e := strings.ToLower(strings.TrimSpace(*req.Email))
		if e != "" && (len(e) > maxEmailLength || !strings.Contains(e, "@")) {
			return authRequest{}, fmt.Errorf("%w: email malformed", wire.ErrBadRequest)
		}
		out.email = e
	case callLinkMobile:
		if req.MobileNo == nil {
			return authRequest{}, fmt.Errorf("%w: mobileNo missing", wire.ErrBadRequest)
		}
		digits, err := phoneDigits(*req.MobileNo)
		if err != nil {
			return authRequest{}, err
		}
		out.mobileNo = digits
	case callRevoke:
	default:
		return authRequest{}, fmt.Errorf("%w: unknown call", wire.ErrBadRequest)
	}
	return out, nil
}

// phoneDigits reduces an E.164 number ("+41 79 123 45 67") to its digits; an
// empty number stays empty (unlink).
func phoneDigits(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '+' && i == 0, c == ' ', c == '-':
		default:
			return "", fmt.Errorf("%w: mobileNo malformed", wire.ErrBadRequest)
		}
	}
	if n := b.Len(); n < minPhoneDigits || n > maxPhoneDigits {
		return "", fmt.Errorf("%w: mobileNo of %d digits", wire.ErrBadRequest, n)
	}
	return b.String(), nil
}
