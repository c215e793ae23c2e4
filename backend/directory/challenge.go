package directory

import (
	"crypto/subtle"
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/crypto/curve25519"

	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

// tokenSize is the size of a challenge token. The answer to a token, the
// challenge–response of shared/protocols.md §4, is wire.TokenResponse.
const tokenSize = 32

// checkKey refuses public keys that are not usable X25519 keys: a low-order
// point makes the shared secret a constant, so anyone could answer the
// challenge without the private key.
func checkKey(pub cryptobox.PublicKey, challenge cryptobox.SecretKey) error {
	if _, err := curve25519.X25519(challenge[:], pub[:]); err != nil {
		return fmt.Errorf("%w: low-order point", wire.ErrInvalidKey)
	}
	return nil
}

// verifyResponse checks a phase-2 response against the client's public key.
func verifyResponse(challenge cryptobox.SecretKey, client cryptobox.PublicKey, token, response []byte, legacyNonce []byte) error {
	if len(legacyNonce) > 0 {
		return wire.ErrLegacyResponse
	}
	if len(response) != wire.ResponseSize {
		if len(response) == tokenSize+cryptobox.Overhead {
			return wire.ErrLegacyResponse
		}
		return fmt.Errorf("%w: response of %d bytes", wire.ErrProofRejected, len(response))
	}
	want, err := wire.TokenResponse(challenge, client, token)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want[:], response) != 1 {
		return wire.ErrProofRejected
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
			return nil, wire.ErrBusy
		}
	}
	t.m[tok] = pendingToken{binding: b, expires: now.Add(t.ttl)}
	return tok[:], nil
}

// redeem consumes token, which must have been issued for b and not expired.
func (t *tokenStore) redeem(now time.Time, token []byte, b tokenBinding) error {
	if len(token) != tokenSize {
		return wire.ErrTokenInvalid
	}
	k := [tokenSize]byte(token)
	t.mu.Lock()
	p, ok := t.m[k]
	delete(t.m, k)
	t.mu.Unlock()
	if !ok || !now.Before(p.expires) || p.binding.call != b.call ||
		p.binding.identity != b.identity || !p.binding.key.Equal(b.key) {
		return wire.ErrTokenInvalid
	}
	return nil
}

// pending reports the number of outstanding tokens.
func (t *tokenStore) pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}
