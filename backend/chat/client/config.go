package client

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// Defaults for the zero values of Config (shared/protocols.md §3.3 timers).
const (
	// DefaultDialTimeout bounds connect plus login.
	DefaultDialTimeout = 15 * time.Second
	// DefaultEchoInterval is how often an echo request keeps the connection alive.
	DefaultEchoInterval = 60 * time.Second
	// DefaultEchoTimeout is how long an echo response may take.
	DefaultEchoTimeout = 10 * time.Second
	// DefaultWriteTimeout bounds one write to the server.
	DefaultWriteTimeout = 10 * time.Second
	// DefaultReconnectMin is the first reconnect delay.
	DefaultReconnectMin = 2 * time.Second
	// DefaultReconnectMax is the longest reconnect delay.
	DefaultReconnectMax = 10 * time.Second
	// DefaultIncomingBuffer is the capacity of the Incoming channel.
	DefaultIncomingBuffer = 256
	// DefaultClientInfo is sent in the client-info extension.
	DefaultClientInfo = "1.0;Q;en/US;kurier"
)

// Config configures a client.
type Config struct {
	// Addr is the chat server's TCP address. Required.
	Addr string
	// ServerKey is the server's long-term public key SK.pub. Required.
	ServerKey cryptobox.PublicKey
	// Identity is the client's identity. Required.
	Identity string
	// Key is the identity's long-term key pair CK. Required.
	Key cryptobox.KeyPair
	// Extensions are the login extensions. The zero value sends client-info
	// DefaultClientInfo and message payload version 1.
	Extensions csp.Extensions
	// IdleTimeout, if set, is requested from the server after each login
	// (payload 0x30; 30..600 s).
	IdleTimeout time.Duration
	// DialTimeout bounds connect plus login.
	DialTimeout time.Duration
	// EchoInterval is how often an echo request is sent.
	EchoInterval time.Duration
	// EchoTimeout is how long the server may take to answer one; a
	// connection that misses it is considered dead and replaced.
	EchoTimeout time.Duration
	// WriteTimeout bounds one write.
	WriteTimeout time.Duration
	// ReconnectMin and ReconnectMax bound the reconnect back-off, which
	// doubles from min to max.
	ReconnectMin, ReconnectMax time.Duration
	// IncomingBuffer is the capacity of the Incoming channel; when it is
	// full the client stops reading (and the server stops delivering).
	IncomingBuffer int
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the source of keys, cookies and echo data; nil means crypto/rand.
	Rand io.Reader
}

func (c Config) withDefaults() (Config, csp.ID, error) {
	id, err := csp.ParseID(c.Identity)
	if err != nil {
		return c, id, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if c.Addr == "" || c.ServerKey.IsZero() || c.Key.Public.IsZero() {
		return c, id, fmt.Errorf("%w: Addr, ServerKey and Key are required", ErrConfig)
	}
	if c.IdleTimeout != 0 && (c.IdleTimeout < csp.MinIdleTimeoutSeconds*time.Second || c.IdleTimeout > csp.MaxIdleTimeoutSeconds*time.Second) {
		return c, id, fmt.Errorf("%w: idle timeout %s outside 30..600 s", ErrConfig, c.IdleTimeout)
	}
	if c.Extensions.IsZero() {
		c.Extensions = csp.Extensions{ClientInfo: DefaultClientInfo, HasPayloadVersion: true, PayloadVersion: csp.PayloadVersionMetadata}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.DialTimeout, DefaultDialTimeout)
	def(&c.EchoInterval, DefaultEchoInterval)
	def(&c.EchoTimeout, DefaultEchoTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.ReconnectMin, DefaultReconnectMin)
	def(&c.ReconnectMax, DefaultReconnectMax)
	if c.ReconnectMax < c.ReconnectMin {
		c.ReconnectMax = c.ReconnectMin
	}
	if c.IncomingBuffer <= 0 {
		c.IncomingBuffer = DefaultIncomingBuffer
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	return c, id, nil
}
