package directory

// JSON bodies of the directory API (shared/protocols.md §4), shared by the
// server and its clients. Binary values are []byte, which encoding/json
// writes and reads as standard base64, as the Threema clients do.
// CreateRequest is the body of POST identity/create. Phase 1 carries only
// PublicKey; phase 2 adds Token and Response. Nonce is set only by legacy
// clients (box response) and makes the request fail.
type CreateRequest struct {
	PublicKey []byte `json:"publicKey"`          // CK.pub, 32 bytes
	Token     []byte `json:"token,omitempty"`    // phase 2: the token of phase 1
	Response  []byte `json:"response,omitempty"` // phase 2: TokenResponse, 32 bytes
	Nonce     []byte `json:"nonce,omitempty"`    // legacy box response only: refused
}

// ChallengeResponse is the phase-1 answer of identity/create and of every
// authenticated call: a single-use token and the server's challenge key.
type ChallengeResponse struct {
	Token           []byte `json:"token"`           // single-use, expires after the server's token TTL
	TokenRespKeyPub []byte `json:"tokenRespKeyPub"` // the server's challenge public key
}

// CreateResponse is the phase-2 answer of identity/create.
type CreateResponse struct {
	Success     bool   `json:"success"`     // true
	Identity    string `json:"identity"`    // the new ID
	ServerGroup string `json:"serverGroup"` // the server's group
}

// ErrorResponse is the body of every failure: {success:false, error, errorType}.
type ErrorResponse struct {
	Success   bool   `json:"success"`   // false
	Error     string `json:"error"`     // human-readable message
	ErrorType string `json:"errorType"` // machine-readable type; see ErrorForType
}

// SuccessResponse is the answer of authenticated calls that return no data.
type SuccessResponse struct {
	Success bool `json:"success"` // true
}

// LinkResponse is the answer of identity/link_email and identity/link_mobileno.
type LinkResponse struct {
	Success bool `json:"success"` // true
	Linked  bool `json:"linked"`  // true when linked, false when unlinked
}

// IdentityResponse is one identity as GET identity/{ID} and fetch_bulk publish it.
type IdentityResponse struct {
	Identity     string `json:"identity"`     // the ID
	PublicKey    []byte `json:"publicKey"`    // CK.pub, 32 bytes
	FeatureLevel int    `json:"featureLevel"` // deprecated, derived from FeatureMask
	FeatureMask  uint64 `json:"featureMask"`  // feature bits (§3.6)
	State        int    `json:"state"`        // an IdentityState
	Type         int    `json:"type"`         // TypeRegular or TypeWork
}

// IdentitiesRequest is the body of fetch_bulk, check and check_featuremask.
type IdentitiesRequest struct {
	Identities []string `json:"identities"` // at most the server's batch limit
}

// FetchBulkResponse is the answer of identity/fetch_bulk; unknown IDs are left out.
type FetchBulkResponse struct {
	Identities []IdentityResponse `json:"identities"` // the known identities, in request order
}

// CheckResponse is the answer of identity/check, index-aligned with the
// requested identities (echoed in Identities). Unknown IDs report state 2.
type CheckResponse struct {
	Identities    []string `json:"identities"`    // the requested IDs
	States        []int    `json:"states"`        // IdentityState per ID
	Types         []int    `json:"types"`         // type per ID
	FeatureMasks  []uint64 `json:"featureMasks"`  // feature mask per ID
	CheckInterval int      `json:"checkInterval"` // seconds until the next check
}

// CheckFeatureMaskResponse is the answer of identity/check_featuremask,
// index-aligned with the request.
type CheckFeatureMaskResponse struct {
	FeatureMasks []*uint64 `json:"featureMasks"` // null for unknown or revoked IDs
}

// MatchRequest is the body of identity/match: HMAC-SHA256 hashes (HashEmail,
// HashPhone) of the contacts' e-mail addresses and phone numbers.
type MatchRequest struct {
	MatchToken      string   `json:"matchToken,omitempty"`      // accepted and ignored
	EmailHashes     [][]byte `json:"emailHashes"`               // HashEmail values, 32 bytes each
	MobileNoHashes  [][]byte `json:"mobileNoHashes"`            // HashPhone values, 32 bytes each
	IncludeInactive bool     `json:"includeInactive,omitempty"` // also match inactive identities
}

// MatchedIdentity is one identity found by identity/match, with the hash
// that matched it.
type MatchedIdentity struct {
	Identity     string `json:"identity"`               // the ID
	PublicKey    []byte `json:"publicKey"`              // CK.pub, 32 bytes
	EmailHash    []byte `json:"emailHash,omitempty"`    // the e-mail hash that matched
	MobileNoHash []byte `json:"mobileNoHash,omitempty"` // the phone hash that matched
}

// MatchResponse is the answer of identity/match.
type MatchResponse struct {
	Identities    []MatchedIdentity `json:"identities"`    // never revoked identities
	CheckInterval int               `json:"checkInterval"` // seconds until the next match
}

// AuthRequest is the body of every authenticated call (set_featuremask,
// link_email, link_mobileno, revoke). Phase 1 carries Identity and the call's
// own fields; phase 2 reposts them with Token and Response. Nonce is set only
// by legacy clients and makes the request fail.
type AuthRequest struct {
	Identity    string  `json:"identity"`              // the caller's ID
	Token       []byte  `json:"token,omitempty"`       // phase 2: the token of phase 1
	Response    []byte  `json:"response,omitempty"`    // phase 2: TokenResponse with the identity's key
	Nonce       []byte  `json:"nonce,omitempty"`       // legacy box response only: refused
	FeatureMask *uint64 `json:"featureMask,omitempty"` // set_featuremask
	Email       *string `json:"email,omitempty"`       // link_email; "" unlinks
	MobileNo    *string `json:"mobileNo,omitempty"`    // link_mobileno, E.164; "" unlinks
	Lang        string  `json:"lang,omitempty"`        // accepted and ignored (verification language)
}
