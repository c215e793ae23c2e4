package signaling

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Defaults of Config and Limits.
const (
	// DefaultAddr is the signalling server's default listen address (DESIGN.md).
	DefaultAddr = "127.0.0.1:8765"
	// DefaultMaxMessageSize bounds one WebSocket message: a 64 KiB relayed-data
	// chunk (protocols.md §2.1) with its msgpack, box and nonce fits easily.
	DefaultMaxMessageSize = 256 << 10
	// DefaultMaxPaths bounds the number of paths (distinct initiator keys).
	DefaultMaxPaths = 100_000
	// DefaultMaxConnsPerIP bounds the open connections from one client address.
	DefaultMaxConnsPerIP = 256
	// DefaultHandshakeTimeout bounds the client↔server handshake.
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultPingTimeout is how long a pong may take (§1.7; PYS KEEP_ALIVE_TIMEOUT = 30 s).
	DefaultPingTimeout = 30 * time.Second
	// DefaultWriteTimeout bounds one frame write to a client.
	DefaultWriteTimeout = 10 * time.Second
	// minPingInterval is the smallest ping interval honoured (§1.7; PYS KEEP_ALIVE_INTERVAL_MIN = 1 s).
	minPingInterval = time.Second
	// shutdownTimeout bounds the graceful HTTP shutdown in Run.
	shutdownTimeout = 5 * time.Second
)

// Limits protect the server against abuse. Each violation closes only the
// offending connection. Zero fields take the defaults.
type Limits struct {
	// MaxMessageSize bounds one WebSocket message in bytes (close 1009).
	MaxMessageSize int64
	// MaxPaths bounds the number of paths; a client that would open one more is closed with 3000.
	MaxPaths int
	// MaxConnsPerIP bounds open connections per client IP; more are refused with HTTP 429.
	MaxConnsPerIP int
	// HandshakeTimeout bounds the time to server-auth (close 3008).
	HandshakeTimeout time.Duration
	// PingTimeout is how long the server waits for a pong (close 3008).
	PingTimeout time.Duration
	// WriteTimeout bounds one frame write.
	WriteTimeout time.Duration
}

// Config configures a signalling server.
type Config struct {
	// Addr is the TCP listen address ("127.0.0.1:0" in tests).
	Addr string
	// DataDir holds the TLS certificate and key (created on first start).
	// Required unless PlainWS is set.
	DataDir string
	// Keys are the server permanent key pairs: the first is primary, the
	// others are fallbacks selected by a client's your_key (§1.4). Empty means
	// no permanent key (no signed_keys; any your_key is refused with 3007).
	Keys []cryptobox.KeyPair
	// PlainWS serves plain ws:// instead of wss://.
	PlainWS bool
	// Limits bound what clients may do.
	Limits Limits
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the randomness for session keys and cookies; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Metrics receives the server's counters and gauges; nil records nothing.
	Metrics Metrics
}

func (cfg *Config) withDefaults() (Config, error) {
	c := *cfg
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if !c.PlainWS && c.DataDir == "" {
		return c, fmt.Errorf("%w: TLS needs a DataDir (or set PlainWS)", ErrConfig)
	}
	l := &c.Limits
	if l.MaxMessageSize <= 0 {
		l.MaxMessageSize = DefaultMaxMessageSize
	}
	if l.MaxPaths <= 0 {
		l.MaxPaths = DefaultMaxPaths
	}
	if l.MaxConnsPerIP <= 0 {
		l.MaxConnsPerIP = DefaultMaxConnsPerIP
	}
	if l.HandshakeTimeout <= 0 {
		l.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if l.PingTimeout <= 0 {
		l.PingTimeout = DefaultPingTimeout
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = DefaultWriteTimeout
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
	if c.Metrics == nil {
		c.Metrics = nopMetrics{}
	}
	seen := make(map[cryptobox.PublicKey]bool, len(c.Keys))
	for _, k := range c.Keys {
		if seen[k.Public] {
			return c, fmt.Errorf("%w: duplicate server key", ErrConfig)
		}
		seen[k.Public] = true
	}
	return c, nil
}
