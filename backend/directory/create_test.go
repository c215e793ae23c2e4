package directory_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

var idPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9]{7}$`)

func TestCreate(t *testing.T) {
	t.Parallel()
	forEachStore(t, testCreate)
}

func testCreate(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	seen := map[string]bool{}
	for range 20 {
		id, _ := ts.register(t)
		if !idPattern.MatchString(id) {
			t.Fatalf("identity %q does not match %s", id, idPattern)
		}
		if seen[id] {
			t.Fatalf("identity %q drawn twice", id)
		}
		seen[id] = true
	}
	if got := ts.Stats().IdentitiesRegistered; got != 20 {
		t.Fatalf("IdentitiesRegistered = %d, want 20", got)
	}
	if got := ts.Stats().PendingTokens; got != 0 {
		t.Fatalf("PendingTokens = %d, want 0 after every token was redeemed", got)
	}
}

// phase1 runs phase 1 of identity/create for pub.
func (ts *testServer) phase1(t *testing.T, pub cryptobox.PublicKey) wire.ChallengeResponse {
	t.Helper()
	var ch wire.ChallengeResponse
	if st := ts.post(t, "identity/create", mustJSON(t, wire.CreateRequest{PublicKey: pub[:]}), &ch); st != http.StatusOK {
		t.Fatalf("phase 1 status %d", st)
	}
	if len(ch.Token) == 0 || len(ch.TokenRespKeyPub) != 32 {
		t.Fatalf("phase 1 answer %+v", ch)
	}
	return ch
}

func goodResponse(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) []byte {
	t.Helper()
	pub, err := cryptobox.ParsePublicKey(ch.TokenRespKeyPub)
	if err != nil {
		t.Fatal(err)
	}
	r, err := wire.TokenResponse(kp.Secret, pub, ch.Token)
	if err != nil {
		t.Fatal(err)
	}
	return r[:]
}

func TestCreateProof(t *testing.T) {
	t.Parallel()
	forEachStore(t, testCreateProof)
}

func testCreateProof(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	tests := []struct {
		name string
		// phase2 builds the phase-2 body from the key pair and the challenge.
		phase2 func(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) wire.CreateRequest
		want   error
	}{
		{"correct proof", func(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) wire.CreateRequest {
			return wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, kp, ch)}
		}, nil},
		{"response from another key", func(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) wire.CreateRequest {
			return wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, newKeyPair(t), ch)}
		}, wire.ErrProofRejected},
		{"random response", func(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) wire.CreateRequest {
			r := make([]byte, 32)
			_, _ = rand.Read(r)
			return wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: r}
		}, wire.ErrProofRejected},
		{"legacy box response", func(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) wire.CreateRequest {
			pub, _ := cryptobox.ParsePublicKey(ch.TokenRespKeyPub)
			nonce, _ := cryptobox.RandomNonce(rand.Reader)
			box := cryptobox.Seal(nil, ch.Token, &nonce, pub, kp.Secret)
			return wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: box, Nonce: nonce[:]}
		}, wire.ErrLegacyResponse},
		{"token for another key", func(t *testing.T, kp cryptobox.KeyPair, _ wire.ChallengeResponse) wire.CreateRequest {
			ch := ts.phase1(t, newKeyPair(t).Public)
			return wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, kp, ch)}
		}, wire.ErrTokenInvalid},
		{"made-up token", func(t *testing.T, kp cryptobox.KeyPair, ch wire.ChallengeResponse) wire.CreateRequest {
			ch.Token = make([]byte, 32)
			return wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, kp, ch)}
		}, wire.ErrTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kp := newKeyPair(t)
			ch := ts.phase1(t, kp.Public)
			var out struct {
				Success     bool   `json:"success"`
				Identity    string `json:"identity"`
				ServerGroup string `json:"serverGroup"`
				ErrorType   string `json:"errorType"`
			}
			status := ts.post(t, "identity/create", mustJSON(t, tt.phase2(t, kp, ch)), &out)
			if tt.want == nil {
				if status != http.StatusOK || !out.Success || !idPattern.MatchString(out.Identity) || out.ServerGroup == "" {
					t.Fatalf("status %d, answer %+v", status, out)
				}
				return
			}
			if out.Success || out.Identity != "" || !errors.Is(wire.ErrorForType(out.ErrorType), tt.want) {
				t.Fatalf("status %d, answer %+v, want errorType of %v", status, out, tt.want)
			}
			if _, err := ts.LookupIdentity(context.Background(), out.Identity); !errors.Is(err, wire.ErrNotFound) {
				t.Fatal("an identity was registered")
			}
		})
	}
}

func TestCreateTokenSingleUseAndExpiry(t *testing.T) {
	t.Parallel()
	forEachStore(t, testCreateTokenSingleUseAndExpiry)
}

func testCreateTokenSingleUseAndExpiry(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	kp := newKeyPair(t)

	// A failed answer burns the token: the right answer afterwards is refused.
	ch := ts.phase1(t, kp.Public)
	var fail wire.ErrorResponse
	ts.post(t, "identity/create", mustJSON(t, wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: make([]byte, 32)}), &fail)
	good := wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, kp, ch)}
	ts.post(t, "identity/create", mustJSON(t, good), &fail)
	if !errors.Is(wire.ErrorForType(fail.ErrorType), wire.ErrTokenInvalid) {
		t.Fatalf("replayed token: %+v, want tokenInvalid", fail)
	}

	// An expired token is refused.
	ch = ts.phase1(t, kp.Public)
	ts.clock.Advance(directory.DefaultTokenTTL + time.Second)
	good = wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, kp, ch)}
	ts.post(t, "identity/create", mustJSON(t, good), &fail)
	if !errors.Is(wire.ErrorForType(fail.ErrorType), wire.ErrTokenInvalid) {
		t.Fatalf("expired token: %+v, want tokenInvalid", fail)
	}

	// A successful answer cannot be replayed to mint a second identity.
	ch = ts.phase1(t, kp.Public)
	good = wire.CreateRequest{PublicKey: kp.Public[:], Token: ch.Token, Response: goodResponse(t, kp, ch)}
	var ok wire.CreateResponse
	ts.post(t, "identity/create", mustJSON(t, good), &ok)
	if !ok.Success {
		t.Fatal("create failed")
	}
	ts.post(t, "identity/create", mustJSON(t, good), &fail)
	if fail.Success || fail.ErrorType == "" {
		t.Fatalf("replayed phase 2 accepted: %+v", fail)
	}
}

func TestCreateRefusedKeys(t *testing.T) {
	t.Parallel()
	forEachStore(t, testCreateRefusedKeys)
}

func testCreateRefusedKeys(t *testing.T, db func(*directory.Config)) {
	reserved := newKeyPair(t)
	ts := newServer(t, db, func(c *directory.Config) { c.ReservedKeys = []cryptobox.PublicKey{reserved.Public} })
	ctx := context.Background()
	existing := newKeyPair(t)
	if _, err := ts.client.Create(ctx, existing); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		kp   cryptobox.KeyPair
		want error
	}{
		{"reserved server key", reserved, wire.ErrKeyReserved},
		{"the challenge key itself", ts.challenge, wire.ErrKeyReserved},
		{"already registered", existing, wire.ErrKeyInUse},
		{"low-order point", cryptobox.KeyPair{}, wire.ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := ts.client.Create(ctx, tt.kp); !errors.Is(err, tt.want) {
				t.Fatalf("Create = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCreateConcurrent(t *testing.T) {
	t.Parallel()
	forEachStore(t, testCreateConcurrent)
}

func testCreateConcurrent(t *testing.T, db func(*directory.Config)) {
	ts := newServer(t, db, nil)
	const n = 16
	ids := make(chan string, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			id, err := ts.client.Create(context.Background(), newKeyPair(t))
			ids <- id
			errs <- err
		}()
	}
	seen := map[string]bool{}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		id := <-ids
		if seen[id] {
			t.Fatalf("identity %s issued twice", id)
		}
		seen[id] = true
	}
}
