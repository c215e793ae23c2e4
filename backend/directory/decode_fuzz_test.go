package directory

import (
	"encoding/json"
	"errors"
	"testing"

	wire "github.com/kurier/kurier/protocol/directory"
)

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkDecodeErr fails unless err is nil or a client error (400/413): a
// decoder must never report anything the server would answer with 500.
func checkDecodeErr(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, wire.ErrBadRequest) && !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("decoder error %v is neither ErrBadRequest nor ErrTooLarge", err)
	}
}

func FuzzDecodeCreate(f *testing.F) {
	f.Add(mustJSON(f, wire.CreateRequest{PublicKey: make([]byte, 32)}))
	f.Add(mustJSON(f, wire.CreateRequest{PublicKey: make([]byte, 32), Token: make([]byte, 32), Response: make([]byte, 32)}))
	f.Add(mustJSON(f, wire.CreateRequest{PublicKey: make([]byte, 32), Token: make([]byte, 32), Response: make([]byte, 48), Nonce: make([]byte, 24)}))
	f.Add([]byte(`{"publicKey":"not base64"}`))
	f.Add([]byte(`{}{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeCreate(body)
		checkDecodeErr(t, err)
		if err == nil && req.phase2 && (req.token == nil || req.response == nil) {
			t.Fatal("phase 2 without token or response")
		}
	})
}

func FuzzDecodeIdentities(f *testing.F) {
	f.Add(mustJSON(f, wire.IdentitiesRequest{Identities: []string{"ECHOECHO", "*THREEMA", "A1B2C3D4"}}))
	f.Add([]byte(`{"identities":[]}`))
	f.Add([]byte(`{"identities":["echoecho"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ids, err := decodeIdentities(body, 16)
		checkDecodeErr(t, err)
		if err != nil {
			return
		}
		if len(ids) > 16 {
			t.Fatalf("%d identities above the bound", len(ids))
		}
		for _, id := range ids {
			if !wire.ValidID(id) {
				t.Fatalf("invalid id %q accepted", id)
			}
		}
	})
}

func FuzzDecodeMatch(f *testing.F) {
	f.Add(mustJSON(f, wire.MatchRequest{EmailHashes: wire.HashEmail("bob@gmail.com"), MobileNoHashes: [][]byte{wire.HashPhone("41791234567")}}))
	f.Add(mustJSON(f, wire.MatchRequest{IncludeInactive: true, MatchToken: "x"}))
	f.Add([]byte(`{"emailHashes":["AAAA"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeMatch(body, 16)
		checkDecodeErr(t, err)
		if err != nil {
			return
		}
		if len(req.emailHashes)+len(req.phoneHashes) > 16 {
			t.Fatal("hashes above the bound")
		}
		for _, hs := range [][][]byte{req.emailHashes, req.phoneHashes} {
			for _, h := range hs {
				if len(h) != wire.HashSize {
					t.Fatalf("hash of %d bytes accepted", len(h))
				}
			}
		}
	})
}

func FuzzDecodeAuth(f *testing.F) {
	mask := uint64(0x3ff)
	email, phone := "Bob@GMail.com", "+41 79 123 45 67"
	f.Add(callSetFeatureMask, mustJSON(f, wire.AuthRequest{Identity: "ECHOECHO", FeatureMask: &mask}))
	f.Add(callLinkEmail, mustJSON(f, wire.AuthRequest{Identity: "ECHOECHO", Email: &email, Token: make([]byte, 32), Response: make([]byte, 32)}))
	f.Add(callLinkMobile, mustJSON(f, wire.AuthRequest{Identity: "ECHOECHO", MobileNo: &phone}))
	f.Add(callRevoke, mustJSON(f, wire.AuthRequest{Identity: "ECHOECHO", Token: make([]byte, 32), Response: make([]byte, 48), Nonce: make([]byte, 24)}))
	f.Fuzz(func(t *testing.T, call string, body []byte) {
		req, err := decodeAuth(body, call)
		checkDecodeErr(t, err)
		if err != nil {
			return
		}
		if !wire.ValidID(req.identity) || req.identity[0] == '*' {
			t.Fatalf("identity %q accepted", req.identity)
		}
		if call == callLinkMobile && req.mobileNo != "" {
			if wire.HashPhone(req.mobileNo) == nil {
				t.Fatal("mobile number without digits accepted")
			}
		}
	})
}
