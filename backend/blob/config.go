package blob

import (
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/internal/ratelimit"

	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"time"
)

// Defaults for the zero values of Config.
const (
	// DefaultMaxBlobBytes is the largest blob accepted (100 MiB).
	DefaultMaxBlobBytes = 100 << 20
	// DefaultRetention is how long a blob is kept when nobody marks it done.
	DefaultRetention = 14 * 24 * time.Hour
	// DefaultPurgeInterval is how often expired blobs are purged.
	DefaultPurgeInterval = time.Hour
	// DefaultMaxTrackedIPs bounds the per-IP rate limiter table.
	DefaultMaxTrackedIPs = 10000
)

// DefaultRateLimit is the per-IP request budget.
var DefaultRateLimit = RateLimit{PerSecond: 20, Burst: 100}

// Upload bounds (issue 14: ten 100 MiB uploads from one address in 5 s
// were all taken, and a body that stopped after its headers was held for
// 10 minutes).
const (
	// DefaultUploadBytesPerHour is the per-address upload quota's refill:
	// 1 GiB an hour, on top of a burst of two largest blobs.
	DefaultUploadBytesPerHour = 1 << 30
	// DefaultMaxTotalBytes is the watermark of all stored blobs together:
	// above it new uploads are refused with 507 until blobs are fetched,
	// marked done or expire.
	DefaultMaxTotalBytes = 20 << 30
	// DefaultProgressInterval and DefaultMinProgressBytes: an upload must
	// bring at least 16 KiB every 10 s, or it is cut off (408).
	DefaultProgressInterval = 10 * time.Second
	DefaultMinProgressBytes = 16 << 10
)

// RateLimit is a token bucket: PerSecond requests on average, Burst at once.
type RateLimit = ratelimit.Limit

// Config configures a blob server. Zero values take the defaults above.
type Config struct {
	// Addr is the TCP listen address, e.g. "127.0.0.1:8082" or "127.0.0.1:0".
	Addr string
	// DataDir holds the blobs (DataDir/blobs) and temp files (DataDir/tmp).
	// Required unless Database is set.
	DataDir string
	// Database, when set, is a postgres:// URL: the blobs are kept in
	// PostgreSQL instead of DataDir (issue 12), so that several blob nodes
	// on one database serve the same blobs (uploaded through one, fetched
	// or marked done through another; any node's purge expires them).
	// MaxTotalBytes then bounds the blobs of all nodes together, read at
	// most once a second; the rate limits and upload quotas stay per
	// node. The pool's size is the URL's pool_max_conns (pgx's default:
	// the larger of 4 and the number of CPUs); a transfer holds a
	// connection only while it writes or reads one segment of about 1 MiB
	// (see the package doc). Empty keeps the files in DataDir.
	Database string
	// S3, when set, keeps the blobs in an S3 bucket instead (issue 12),
	// which several blob nodes may share like Database; it wins over
	// Database for the blobs, so that a cluster keeps its chat and
	// directory on PostgreSQL and its blobs on object storage. The URL is
	// s3://ACCESS:SECRET@host[:port]/bucket[?secure=false][&region=NAME]
	// (keys percent-encoded; secure defaults to true, HTTPS). The bucket
	// must exist. MaxBlobBytes is at most 5 GiB on this store, and the
	// totals of MaxTotalBytes and Stats are listed at most every 30 s
	// (see the package doc). The URL holds a secret: never log it.
	S3 string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the source of blob ids; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBlobBytes is the largest blob accepted (413 above it).
	MaxBlobBytes int64
	// Retention is how long a blob is kept after upload.
	Retention time.Duration
	// PurgeInterval is how often Run purges expired blobs.
	PurgeInterval time.Duration
	// RateLimit is the per-IP request budget of every endpoint.
	RateLimit RateLimit
	// MaxTrackedIPs bounds the rate limiter table.
	MaxTrackedIPs int
	// UploadQuota is the per-address budget of uploaded bytes (zero: a
	// burst of 2 × MaxBlobBytes, refilled at DefaultUploadBytesPerHour).
	UploadQuota RateLimit
	// MaxTotalBytes is the watermark of all stored blobs (0:
	// DefaultMaxTotalBytes); with Database, of every node's.
	MaxTotalBytes int64
	// ProgressInterval and MinProgressBytes: each interval of an upload
	// must bring at least that many bytes (0: the defaults).
	ProgressInterval time.Duration
	MinProgressBytes int64
	// Conns bounds the open connections per client address and in total
	// (zero fields: connlimit's defaults); more are closed on accept.
	Conns connlimit.Limits
}

func (c Config) withDefaults() (Config, error) {
	c.Conns = c.Conns.WithDefaults()
	if c.DataDir == "" && c.Database == "" && c.S3 == "" {
		return c, errors.New("blob: config needs DataDir, Database or S3")
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
	if c.MaxBlobBytes <= 0 {
		c.MaxBlobBytes = DefaultMaxBlobBytes
	}
	if c.Retention <= 0 {
		c.Retention = DefaultRetention
	}
	if c.PurgeInterval <= 0 {
		c.PurgeInterval = DefaultPurgeInterval
	}
	if c.RateLimit.PerSecond <= 0 || c.RateLimit.Burst <= 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.MaxTrackedIPs <= 0 {
		c.MaxTrackedIPs = DefaultMaxTrackedIPs
	}
	if c.UploadQuota.PerSecond <= 0 || c.UploadQuota.Burst <= 0 {
		c.UploadQuota = RateLimit{PerSecond: DefaultUploadBytesPerHour / 3600.0, Burst: int(2 * c.MaxBlobBytes)}
	}
	if c.UploadQuota.Burst < int(c.MaxBlobBytes+multipartSlack) {
		c.UploadQuota.Burst = int(c.MaxBlobBytes + multipartSlack) // the largest blob must fit
	}
	if c.MaxTotalBytes <= 0 {
		c.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if c.ProgressInterval <= 0 {
		c.ProgressInterval = DefaultProgressInterval
	}
	if c.MinProgressBytes <= 0 {
		c.MinProgressBytes = DefaultMinProgressBytes
	}
	return c, nil
}
