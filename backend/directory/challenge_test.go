package directory

import (
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

func seqKey(start byte) cryptobox.SecretKey {
	var k cryptobox.SecretKey
	for i := range k {
		k[i] = start + byte(i)
	}
	return k
}

func TestVerifyResponse(t *testing.T) {
	t.Parallel()
	server, _ := cryptobox.KeyPairFromSecret(seqKey(0x80))
	client, _ := cryptobox.KeyPairFromSecret(seqKey(1))
	other, _ := cryptobox.KeyPairFromSecret(seqKey(0x40))
	token := make([]byte, tokenSize)
	good, _ := wire.TokenResponse(client.Secret, server.Public, token)
	wrongKey, _ := wire.TokenResponse(other.Secret, server.Public, token)
	box := cryptobox.Seal(nil, token, &cryptobox.Nonce{}, server.Public, client.Secret)
	tests := []struct {
		name     string
		response []byte
		nonce    []byte
		want     error
	}{
		{"good", good[:], nil, nil},
		{"other key", wrongKey[:], nil, wire.ErrProofRejected},
		{"flipped bit", append([]byte{good[0] ^ 1}, good[1:]...), nil, wire.ErrProofRejected},
		{"short", good[:16], nil, wire.ErrProofRejected},
		{"empty", nil, nil, wire.ErrProofRejected},
		{"legacy box with nonce", box, make([]byte, 24), wire.ErrLegacyResponse},
		{"legacy box without nonce", box, nil, wire.ErrLegacyResponse},
		{"good response but nonce field", good[:], make([]byte, 24), wire.ErrLegacyResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := verifyResponse(server.Secret, client.Public, token, tt.response, tt.nonce)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("verifyResponse = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckKeyRefusesLowOrderPoints(t *testing.T) {
	t.Parallel()
	server, _ := cryptobox.KeyPairFromSecret(seqKey(0x80))
	var zero, one cryptobox.PublicKey
	one[0] = 1
	for _, k := range []cryptobox.PublicKey{zero, one} {
		if err := checkKey(k, server.Secret); !errors.Is(err, wire.ErrInvalidKey) {
			t.Errorf("checkKey(%s) = %v, want ErrInvalidKey", k, err)
		}
	}
	client, _ := cryptobox.KeyPairFromSecret(seqKey(1))
	if err := checkKey(client.Public, server.Secret); err != nil {
		t.Errorf("checkKey(valid) = %v", err)
	}
}

type countingReader struct{ n byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		r.n++
		p[i] = r.n
	}
	return len(p), nil
}

func TestTokenStore(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	a := tokenBinding{call: "create", key: cryptobox.PublicKey{1}}
	b := tokenBinding{call: "create", key: cryptobox.PublicKey{2}}
	ts := newTokenStore(&countingReader{}, time.Minute, 2)

	tok, err := ts.issue(now, a)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.redeem(now, tok, b); !errors.Is(err, wire.ErrTokenInvalid) {
		t.Fatalf("redeem for another key = %v", err)
	}
	if err := ts.redeem(now, tok, a); !errors.Is(err, wire.ErrTokenInvalid) {
		t.Fatalf("redeem after a failed redeem = %v, want consumed", err)
	}

	tok, _ = ts.issue(now, a)
	if err := ts.redeem(now, tok, a); err != nil {
		t.Fatalf("redeem = %v", err)
	}
	if err := ts.redeem(now, tok, a); !errors.Is(err, wire.ErrTokenInvalid) {
		t.Fatalf("replay = %v", err)
	}

	tok, _ = ts.issue(now, a)
	if err := ts.redeem(now.Add(time.Minute), tok, a); !errors.Is(err, wire.ErrTokenInvalid) {
		t.Fatalf("expired = %v", err)
	}

	if err := ts.redeem(now, []byte("short"), a); !errors.Is(err, wire.ErrTokenInvalid) {
		t.Fatalf("short token = %v", err)
	}

	_, _ = ts.issue(now, a)
	_, _ = ts.issue(now, a)
	if _, err := ts.issue(now, a); !errors.Is(err, wire.ErrBusy) {
		t.Fatalf("issue above the bound = %v, want ErrBusy", err)
	}
	if _, err := ts.issue(now.Add(time.Minute), a); err != nil {
		t.Fatalf("issue after expiry sweep = %v", err)
	}
	if n := ts.pending(); n != 1 {
		t.Fatalf("pending = %d, want 1", n)
	}
}
