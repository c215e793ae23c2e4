package rtclink

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// Defaults of Config.
const (
	// DefaultHandshakeTimeout bounds the WebSocket and TLS handshake.
	DefaultHandshakeTimeout = 10 * time.Second
	// writeTimeout bounds one frame write.
	writeTimeout = 10 * time.Second
	// closeWait is how long a closing session waits for the server's close frame.
	closeWait = time.Second
	// maxFrameSize bounds one received frame.
	maxFrameSize = 1 << 20
)

// Config configures a SaltyRTC client session.
type Config struct {
	// Role is saltyrtc.RoleInitiator (the desktop) or saltyrtc.RoleResponder (the phone).
	Role saltyrtc.Role
	// ServerURL is the server's base URL, wss://host:port (or ws:// for tests);
	// the path (the initiator key) is appended.
	ServerURL string
	// ServerKey is the pinned server permanent key (signed_keys, §1.4). Required.
	ServerKey cryptobox.PublicKey
	// TLSCertificateSHA256 optionally pins the server's TLS certificate (lowercase
	// hex SHA-256 of its DER, backend.json signaling.tls_certificate_sha256). When
	// set, the self-signed certificate is accepted if and only if it matches.
	TLSCertificateSHA256 string
	// TLSConfig is the base TLS configuration (nil = defaults).
	TLSConfig *tls.Config
	// PermanentKey is our permanent key pair.
	PermanentKey cryptobox.KeyPair
	// InitiatorKey is the initiator's permanent key (responder only; from the QR code).
	InitiatorKey cryptobox.PublicKey
	// AuthToken is the one-time auth token: created by the initiator, read
	// from the QR code by the responder. Nil with TrustedPeerKey.
	AuthToken *cryptobox.SymmetricKey
	// TrustedPeerKey is the peer's permanent key when already trusted: no
	// token (§1.6). For a responder it equals InitiatorKey.
	TrustedPeerKey cryptobox.PublicKey
	// Tasks by preference; nil means one Relayed Data task.
	Tasks []Task
	// PingInterval asks the server for WebSocket pings (§1.7; Threema Web uses 30 s). 0 = none.
	PingInterval time.Duration
	// HandshakeTimeout bounds the WebSocket handshake (0 = DefaultHandshakeTimeout).
	HandshakeTimeout time.Duration
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the randomness; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (cfg *Config) withDefaults() (Config, error) {
	c := *cfg
	if c.ServerKey.IsZero() {
		return c, fmt.Errorf("%w: no server key to pin", ErrConfig)
	}
	u, err := url.Parse(c.ServerURL)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Host == "" {
		return c, fmt.Errorf("%w: server URL must be wss://host:port", ErrConfig)
	}
	if c.Tasks == nil {
		c.Tasks = []Task{NewRelayedDataTask()}
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
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
	if c.TLSCertificateSHA256 != "" {
		if b, err := hex.DecodeString(c.TLSCertificateSHA256); err != nil || len(b) != sha256.Size {
			return c, fmt.Errorf("%w: TLS certificate fingerprint must be 64 hex characters", ErrConfig)
		}
	}
	return c, nil
}

// wsURL is the server URL with the path: the initiator key in lowercase hex (§1.2).
func (c *Config) wsURL() string {
	key := c.InitiatorKey
	if c.Role == saltyrtc.RoleInitiator {
		key = c.PermanentKey.Public
	}
	return strings.TrimRight(c.ServerURL, "/") + "/" + key.String()
}

// tlsConfig pins the certificate fingerprint when one is configured.
func (c *Config) tlsConfig() *tls.Config {
	var t *tls.Config
	if c.TLSConfig != nil {
		t = c.TLSConfig.Clone()
	} else {
		t = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if c.TLSCertificateSHA256 == "" {
		return t
	}
	want, _ := hex.DecodeString(c.TLSCertificateSHA256)
	// The certificate is self-signed: chain verification is replaced by the
	// fingerprint check below, and SaltyRTC's signed_keys authenticates the server.
	t.InsecureSkipVerify = true
	t.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return ErrCertificatePin
		}
		sum := sha256.Sum256(raw[0])
		if subtle.ConstantTimeCompare(sum[:], want) != 1 {
			return ErrCertificatePin
		}
		return nil
	}
	return t
}
