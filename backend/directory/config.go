package directory

import (
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/internal/ratelimit"

	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Defaults for the zero values of Config.
const (
	// DefaultTokenTTL is how long a challenge token may be answered.
	DefaultTokenTTL = 60 * time.Second
	// DefaultMaxTokens bounds the outstanding challenge tokens (about 100 B each).
	DefaultMaxTokens = 10000
	// DefaultCheckInterval is the checkInterval told to clients (§4 check, match).
	DefaultCheckInterval = 24 * time.Hour
	// DefaultMaxBatch bounds the identities of fetch_bulk/check and the hashes of match.
	DefaultMaxBatch = 1000
	// DefaultMaxBodyBytes bounds a request body.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultMaxTrackedIPs bounds the per-IP rate limiter table.
	DefaultMaxTrackedIPs = 10000
	// DefaultServerGroup is the serverGroup returned on identity creation.
	DefaultServerGroup = "0"
)

// DefaultGeneralLimit is the per-IP budget shared by every endpoint.
var DefaultGeneralLimit = RateLimit{PerSecond: 50, Burst: 200}

// DefaultLookupLimit is the per-IP budget of identities looked up in the
// calls that reveal whether an identity exists — GET identity/{ID},
// fetch_bulk, check, check_featuremask — charged per identity, not per
// request: 200 at once, then 800 an hour, so at most 1,000 in any hour
// (issue 14: the old budget of 20 requests/s let a bulk check learn 40,000
// identities a second).
var DefaultLookupLimit = RateLimit{PerSecond: 800.0 / 3600, Burst: 200}

// DefaultMatchHashLimit is the per-IP budget of contact hashes submitted to
// identity/match, its own: one full address book at once (MaxBatch), then
// 500 an hour.
var DefaultMatchHashLimit = RateLimit{PerSecond: 500.0 / 3600, Burst: DefaultMaxBatch}

// RateLimit is a token bucket: PerSecond requests on average, Burst at once.
type RateLimit = ratelimit.Limit

// Config configures a directory server. Zero values take the defaults above.
type Config struct {
	// Addr is the TCP listen address, e.g. "127.0.0.1:8081" or "127.0.0.1:0".
	Addr string
	// DataDir holds the database (directory.db). Required.
	DataDir string
	// Database, when a postgres:// URL, keeps the directory in PostgreSQL
	// instead of DataDir's SQLite file (issue 12): the identities and
	// hashes, and also the rate-limit buckets and challenge tokens, so that
	// several directory nodes on one database serve one directory and a
	// client spreading its requests over them spends one budget (the nodes
	// need the same ChallengeKey and clocks in step). MaxTrackedIPs does
	// not apply there: a bucket is dropped once it has refilled.
	Database string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the source of tokens and identities; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ChallengeKey is the key pair whose public half is sent as
	// tokenRespKeyPub and against which challenge responses are checked.
	// Required; the caller generates and keeps it.
	ChallengeKey cryptobox.KeyPair
	// ReservedKeys are server keys (chat, signaling, …) that may never be
	// registered as an identity key. ChallengeKey.Public is always reserved.
	ReservedKeys []cryptobox.PublicKey
	// ServerGroup is returned on identity creation (§4).
	ServerGroup string
	// CheckInterval is the checkInterval told to clients.
	CheckInterval time.Duration
	// TokenTTL is how long a challenge token may be answered.
	TokenTTL time.Duration
	// MaxTokens bounds the outstanding challenge tokens; above it phase 1 is
	// answered 503.
	MaxTokens int
	// GeneralLimit is the per-IP budget shared by every endpoint.
	GeneralLimit RateLimit
	// LookupLimit is the additional, stricter per-IP budget of lookups,
	// fetch_bulk, check, check_featuremask and match.
	LookupLimit RateLimit
	// MatchHashLimit is the per-IP budget of hashes submitted to
	// identity/match (one token per hash); its Burst is raised to MaxBatch
	// if lower, so that a full batch can pass.
	MatchHashLimit RateLimit
	// MaxTrackedIPs bounds the in-memory rate limiter table (least
	// recently seen IPs are evicted first); see Database.
	MaxTrackedIPs int
	// MaxBatch bounds the identities of fetch_bulk/check and the hashes of match.
	MaxBatch int
	// MaxBodyBytes bounds a request body (413 above it).
	MaxBodyBytes int64
	// Conns bounds the open connections per client address and in total
	// (zero fields: connlimit's defaults); more are closed on accept.
	Conns connlimit.Limits
}

// withDefaults validates c and fills in its zero values.
func (c Config) withDefaults() (Config, error) {
	if c.DataDir == "" {
		return c, errors.New("directory: config needs DataDir")
	}
	if c.ChallengeKey.Public.IsZero() {
		return c, errors.New("directory: config needs ChallengeKey")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ServerGroup == "" {
		c.ServerGroup = DefaultServerGroup
	}
	if c.CheckInterval <= 0 {
		c.CheckInterval = DefaultCheckInterval
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.MaxTokens <= 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.GeneralLimit.PerSecond <= 0 || c.GeneralLimit.Burst <= 0 {
		c.GeneralLimit = DefaultGeneralLimit
	}
	if c.LookupLimit.PerSecond <= 0 || c.LookupLimit.Burst <= 0 {
		c.LookupLimit = DefaultLookupLimit
	}
	if c.MatchHashLimit.PerSecond <= 0 || c.MatchHashLimit.Burst <= 0 {
		c.MatchHashLimit = DefaultMatchHashLimit
	}
	c.Conns = c.Conns.WithDefaults()
	if c.MaxTrackedIPs <= 0 {
		c.MaxTrackedIPs = DefaultMaxTrackedIPs
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MatchHashLimit.Burst < c.MaxBatch {
		c.MatchHashLimit.Burst = c.MaxBatch
	}
	return c, nil
}
