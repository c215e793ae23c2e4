package directory

import (
	"crypto/subtle"
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/crypto/curve25519"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Challenge–response of shared/protocols.md §4, new-client variant
// (DESK deriveDirectoryChallengeResponseKey, _calculateResponse).
const (
	// challengeSalt and challengePersonal label the directory response key.
	challengeSalt     = "dir"
	challengePersonal = "3ma-csp"
	// tokenSize is the size of a challenge token.
	tokenSize = 32
	// ResponseSize is the size of a challenge response (BLAKE2b-256).
	ResponseSize = 32
)

// TokenResponse computes the answer to a directory challenge token with the
// identity's secret key ck and the server's challenge key tokenRespKeyPub:
//
//	BLAKE2b-256(key = BLAKE2b-256(key = X25519HSalsa20(ck, tokenRespKeyPub),
//	                              salt = "dir", personal = "3ma-csp"),
//	            input = token)
func TokenResponse(ck cryptobox.SecretKey, tokenRespKeyPub cryptobox.PublicKey, token []byte) ([ResponseSize]byte, error) {
	shared := cryptobox.Precompute(tokenRespKeyPub, ck)
	return responseFromShared(&shared, token)
}

func responseFromShared(shared *cryptobox.SharedKey, token []byte) ([ResponseSize]byte, error) {
	key, err := cryptobox.Blake2b256(shared[:], challengeSalt, challengePersonal, nil)
	if err != nil {
		return [ResponseSize]byte{}, fmt.Errorf("directory: response key: %w", err)
	}
	resp, err := cryptobox.Blake2b256(key[:], "", "", token)
	if err != nil {
		return [ResponseSize]byte{}, fmt.Errorf("directory: response: %w", err)
	}
	return resp, nil
}

// checkKey refuses public keys that are not usable X25519 keys: a low-order
// point makes the shared secret a constant, so anyone could answer the
// challenge without the private key.
func checkKey(pub cryptobox.PublicKey, challenge cryptobox.SecretKey) error {
	if _, err := curve25519.X25519(challenge[:], pub[:]); err != nil {
		return fmt.Errorf("%w: low-order point", ErrInvalidKey)
	}
	return nil
}

// verifyResponse checks a phase-2 response against the client's public key.
func verifyResponse(challenge cryptobox.SecretKey, client cryptobox.PublicKey, token, response []byte, legacyNonce []byte) error {
	if len(legacyNonce) > 0 {
		return ErrLegacyResponse
	}
	if len(response) != ResponseSize {
		if len(response) == tokenSize+cryptobox.Overhead {
			return ErrLegacyResponse
		}
		return fmt.Errorf("%w: response of %d bytes", ErrProofRejected, len(response))
	}
	shared := cryptobox.Precompute(client, challenge)
	want, err := responseFromShared(&shared, token)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want[:], response) != 1 {
		return ErrProofRejected
	}
	return nil
}

// tokenBinding is what a token was issued for; it must match on redemption.
type tokenBinding struct {
	call     string // "create" or the authenticated endpoint
	identity string // empty for create
	key      cryptobox.PublicKey
}

type pendingToken struct {
	binding tokenBinding
	expires time.Time
}

// tokenStore holds the outstanding challenge tokens. A token is removed when
// it is redeemed, whether the response is right or not, so it can never be
// answered twice; expired tokens are swept when the store fills up.
type tokenStore struct {
	mu   sync.Mutex
	m    map[[tokenSize]byte]pendingToken
	max  int
	ttl  time.Duration
	rand io.Reader
}

func newTokenStore(rand io.Reader, ttl time.Duration, maxTokens int) *tokenStore {
	return &tokenStore{m: make(map[[tokenSize]byte]pendingToken), max: maxTokens, ttl: ttl, rand: rand}
}

// issue draws a new token bound to b.
func (t *tokenStore) issue(now time.Time, b tokenBinding) ([]byte, error) {
	var tok [tokenSize]byte
	if _, err := io.ReadFull(t.rand, tok[:]); err != nil {
		return nil, fmt.Errorf("directory: draw token: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) >= t.max {
		for k, p := range t.m {
			if !now.Before(p.expires) {
				delete(t.m, k)
			}
		}
		if len(t.m) >= t.max {
			return nil, ErrBusy
		}
	}
	t.m[tok] = pendingToken{binding: b, expires: now.Add(t.ttl)}
	return tok[:], nil
}

// redeem consumes token, which must have been issued for b and not expired.
func (t *tokenStore) redeem(now time.Time, token []byte, b tokenBinding) error {
	if len(token) != tokenSize {
		return ErrTokenInvalid
	}
	k := [tokenSize]byte(token)
	t.mu.Lock()
	p, ok := t.m[k]
	delete(t.m, k)
	t.mu.Unlock()
	if !ok || !now.Before(p.expires) || p.binding.call != b.call ||
		p.binding.identity != b.identity || !p.binding.key.Equal(b.key) {
		return ErrTokenInvalid
	}
	return nil
}

// pending reports the number of outstanding tokens.
func (t *tokenStore) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}
