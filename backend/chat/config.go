package chat

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/directory"
)

// Defaults for the zero values of Config.
const (
	// DefaultRetention is how long an undelivered message is kept.
	DefaultRetention = 14 * 24 * time.Hour
	// DefaultShortLivedTTL is how long a short-lived (flag 0x20) message is kept.
	DefaultShortLivedTTL = 60 * time.Second
	// DefaultIdleTimeout closes a connection that sent nothing for this long;
	// a client may choose 30..600 s with payload 0x30 (§3.3).
	DefaultIdleTimeout = 5 * time.Minute
	// DefaultHandshakeTimeout bounds the whole login, from accept to login-ack.
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultWriteTimeout bounds one write to a client.
	DefaultWriteTimeout = 10 * time.Second
	// DefaultMaxConnections bounds all open connections.
	DefaultMaxConnections = 50000
	// DefaultMaxConnectionsPerIP bounds the open connections of one address.
	DefaultMaxConnectionsPerIP = 1024
	// DefaultMaxPendingLogins bounds the connections in their login
	// handshake at once: half-open connections can never crowd out the
	// logins of others, and logged-in connections never count.
	DefaultMaxPendingLogins = 1024
	// DefaultMaxPendingLoginsPerIP bounds the same for one address: a client
	// logs in once; 32 allow a few clients behind one address (NAT).
	DefaultMaxPendingLoginsPerIP = 32
	// DefaultHelloTimeout bounds the wait for the client-hello (the first
	// 48 bytes): a connection that sends nothing is closed after it, not
	// after the whole HandshakeTimeout.
	DefaultHelloTimeout = 2 * time.Second
	// DefaultMaxQueuePerReceiver bounds the messages queued for one identity.
	DefaultMaxQueuePerReceiver = 10000
	// DefaultMaxQueueBytesPerReceiver bounds their bytes: 32 MiB (issue 14:
	// 10,000 messages of 8 KB, 88 MB, were queued for one receiver).
	DefaultMaxQueueBytesPerReceiver = 32 << 20
	// DefaultMaxStoreBytes is the watermark of the queue's files on disk:
	// above it no new message is taken.
	DefaultMaxStoreBytes = 20 << 30
	// DefaultStoreCheckInterval is how often the size is checked.
	DefaultStoreCheckInterval = 2 * time.Second
	// DefaultSenderRate and DefaultSenderBurst bound what one connection
	// sends: messages per second, and at once. A faster sender is slowed
	// down (its connection is read more slowly), not refused.
	DefaultSenderRate  = 200
	DefaultSenderBurst = 1000 // a few posts to the largest group (256 copies each)
	// DefaultSenderBytesPerSecond and DefaultSenderBurstBytes bound the
	// same in bytes.
	DefaultSenderBytesPerSecond = 1 << 20
	DefaultSenderBurstBytes     = 8 << 20
	// DefaultMaxInflight bounds the messages of one connection that wait for
	// their commit and server ack; the reader stops reading beyond it.
	DefaultMaxInflight = 256
	// DefaultMaxOutbox bounds the deliveries waiting for a slow receiver; a
	// connection that falls further behind is closed (its messages stay
	// queued).
	DefaultMaxOutbox = 1024
	// DefaultMaxOutboxBytes bounds the same in bytes.
	DefaultMaxOutboxBytes = 1 << 20
	// DefaultMaxBatch bounds the requests of one group commit.
	DefaultMaxBatch = 1024
	// DefaultCommitDelay is how long a commit waits for more requests once
	// the queue ran dry: none. Commits are batched naturally, since requests
	// pile up while the previous commit (and its fsync) runs; measured on
	// the 2-core QA machine, lingering 0.5 ms lowered both throughput and
	// latency.
	DefaultCommitDelay = 0
	// DefaultPurgeInterval is how often expired messages are deleted.
	DefaultPurgeInterval = 30 * time.Second
	// dbFile is the queue database in Config.DataDir.
	dbFile = "chat.db"
)

// Config configures a chat server. Zero values take the defaults above.
type Config struct {
	// Addr is the TCP listen address, e.g. "127.0.0.1:5222" or "127.0.0.1:0".
	Addr string
	// DataDir holds the queue database (chat.db). Required.
	DataDir string
	// Database, when a postgres:// URL, keeps the queue in PostgreSQL
	// instead of DataDir's SQLite file (issue 12); RelaxedSync does not
	// apply there (the server's synchronous_commit does).
	Database string
	// Node names this chat node among the nodes sharing Database, in
	// logs, notifications and the sessions table; empty draws a random
	// name. Unused on SQLite.
	Node string
	// Key is the server's long-term key pair SK (§3.1). Required.
	Key cryptobox.KeyPair
	// Directory resolves identities to their public keys and states.
	// Required.
	Directory directory.Lookup
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the source of temporary keys and cookies; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Retention is how long an undelivered message is kept.
	Retention time.Duration
	// ShortLivedTTL is how long a short-lived message is kept.
	ShortLivedTTL time.Duration
	// IdleTimeout is the default connection idle timeout.
	IdleTimeout time.Duration
	// HandshakeTimeout bounds the login.
	HandshakeTimeout time.Duration
	// WriteTimeout bounds one write to a client.
	WriteTimeout time.Duration
	// MaxConnections bounds all open connections.
	MaxConnections int
	// MaxConnectionsPerIP bounds the open connections of one IP address.
	MaxConnectionsPerIP int
	// MaxPendingLogins and MaxPendingLoginsPerIP bound the connections in
	// their login, in total and per address; more are closed on accept.
	MaxPendingLogins, MaxPendingLoginsPerIP int
	// HelloTimeout bounds the wait for the client-hello.
	HelloTimeout time.Duration
	// MaxQueuePerReceiver bounds the messages queued for one identity.
	MaxQueuePerReceiver int
	// MaxQueueBytesPerReceiver bounds their bytes.
	MaxQueueBytesPerReceiver int64
	// MaxStoreBytes is the watermark of the queue's files, checked every
	// StoreCheckInterval.
	MaxStoreBytes      int64
	StoreCheckInterval time.Duration
	// SenderRate, SenderBurst (messages) and SenderBytesPerSecond,
	// SenderBurstBytes (bytes) bound what one connection sends; beyond them
	// its reading is slowed down.
	SenderRate, SenderBytesPerSecond float64
	SenderBurst, SenderBurstBytes    int
	// MaxInflight bounds one connection's messages awaiting their ack.
	MaxInflight int
	// MaxOutbox bounds the deliveries waiting for a slow receiver.
	MaxOutbox int
	// MaxOutboxBytes bounds the same in bytes.
	MaxOutboxBytes int
	// MaxBatch bounds the requests of one group commit.
	MaxBatch int
	// CommitDelay is how long a commit may wait for more requests after
	// taking what was queued (0: never wait).
	CommitDelay time.Duration
	// PurgeInterval is how often expired messages are deleted.
	PurgeInterval time.Duration
	// RelaxedSync commits with synchronous=NORMAL instead of FULL: an
	// acknowledged message then survives a crash of the process (SIGKILL)
	// but not of the machine (power loss, kernel panic), and a commit skips
	// its fsync. The default (false) survives both.
	RelaxedSync bool
}

// withDefaults validates c and fills in its zero values.
func (c Config) withDefaults() (Config, error) {
	if c.DataDir == "" {
		return c, fmt.Errorf("%w: DataDir is required", ErrConfig)
	}
	if c.Directory == nil {
		return c, fmt.Errorf("%w: Directory is required", ErrConfig)
	}
	if c.Key.Public.IsZero() {
		return c, fmt.Errorf("%w: Key is required", ErrConfig)
	}
	if kp, err := cryptobox.KeyPairFromSecret(c.Key.Secret); err != nil || kp.Public != c.Key.Public {
		return c, fmt.Errorf("%w: Key.Public does not match Key.Secret", ErrConfig)
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Node == "" {
		var b [6]byte
		if _, err := io.ReadFull(c.Rand, b[:]); err != nil {
			return c, fmt.Errorf("chat: node name: %w", err)
		}
		c.Node = hex.EncodeToString(b[:])
	}
	if strings.ContainsAny(c.Node, " ,") || len(c.Node) > 64 {
		return c, fmt.Errorf("%w: Node %q: at most 64 bytes, no space or comma", ErrConfig, c.Node)
	}
	setDur := func(d *time.Duration, def time.Duration) {
		if *d == 0 {
			*d = def
		}
	}
	setInt := func(n *int, def int) {
		if *n <= 0 {
			*n = def
		}
	}
	setDur(&c.Retention, DefaultRetention)
	setDur(&c.ShortLivedTTL, DefaultShortLivedTTL)
	setDur(&c.IdleTimeout, DefaultIdleTimeout)
	setDur(&c.HandshakeTimeout, DefaultHandshakeTimeout)
	setDur(&c.HelloTimeout, min(DefaultHelloTimeout, c.HandshakeTimeout))
	setDur(&c.WriteTimeout, DefaultWriteTimeout)
	setDur(&c.PurgeInterval, DefaultPurgeInterval)
	setInt(&c.MaxConnections, DefaultMaxConnections)
	setInt(&c.MaxConnectionsPerIP, DefaultMaxConnectionsPerIP)
	setInt(&c.MaxPendingLogins, DefaultMaxPendingLogins)
	setInt(&c.MaxPendingLoginsPerIP, DefaultMaxPendingLoginsPerIP)
	setInt(&c.MaxQueuePerReceiver, DefaultMaxQueuePerReceiver)
	if c.MaxQueueBytesPerReceiver <= 0 {
		c.MaxQueueBytesPerReceiver = DefaultMaxQueueBytesPerReceiver
	}
	if c.MaxStoreBytes <= 0 {
		c.MaxStoreBytes = DefaultMaxStoreBytes
	}
	setDur(&c.StoreCheckInterval, DefaultStoreCheckInterval)
	if c.SenderRate <= 0 {
		c.SenderRate = DefaultSenderRate
	}
	if c.SenderBytesPerSecond <= 0 {
		c.SenderBytesPerSecond = DefaultSenderBytesPerSecond
	}
	setInt(&c.SenderBurst, DefaultSenderBurst)
	setInt(&c.SenderBurstBytes, max(DefaultSenderBurstBytes, csp.MaxFrameLen))
	setInt(&c.MaxInflight, DefaultMaxInflight)
	setInt(&c.MaxOutbox, DefaultMaxOutbox)
	setInt(&c.MaxOutboxBytes, DefaultMaxOutboxBytes)
	setInt(&c.MaxBatch, DefaultMaxBatch)
	if c.CommitDelay < 0 {
		c.CommitDelay = 0
	}
	if c.Retention < 0 || c.ShortLivedTTL < 0 || c.IdleTimeout < 0 || c.HandshakeTimeout < 0 || c.HelloTimeout < 0 ||
		c.WriteTimeout < 0 || c.PurgeInterval < 0 {
		return c, fmt.Errorf("%w: negative duration", ErrConfig)
	}
	return c, nil
}
