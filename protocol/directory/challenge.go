package directory

import (
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Challenge–response of shared/protocols.md §4, new-client variant
// (DESK deriveDirectoryChallengeResponseKey, _calculateResponse).
const (
	// challengeSalt and challengePersonal label the directory response key.
	challengeSalt     = "dir"
	challengePersonal = "3ma-csp"
	// ResponseSize is the size of a challenge response (BLAKE2b-256).
	ResponseSize = 32
)

// TokenResponse computes the answer to a directory challenge token with the
// identity's secret key ck and the server's challenge key tokenRespKeyPub:
//
//	BLAKE2b-256(key = BLAKE2b-256(key = X25519HSalsa20(ck, tokenRespKeyPub),
//	                              salt = "dir", personal = "3ma-csp"),
//	            input = token)
//
// The shared key is symmetric, so the server computes the expected answer
// with its challenge secret key and the identity's public key:
// TokenResponse(challenge.Secret, identityPub, token).
func TokenResponse(ck cryptobox.SecretKey, tokenRespKeyPub cryptobox.PublicKey, token []byte) ([ResponseSize]byte, error) {
	shared := cryptobox.Precompute(tokenRespKeyPub, ck)
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
