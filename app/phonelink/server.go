package phonelink

import (
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/qr"
)

// Server is the signaling server both sides meet at.
type Server struct {
	// URL is wss://host:port (ws:// for a plain test server).
	URL string
	// Key is the server's permanent public key, pinned by both peers.
	Key cryptobox.PublicKey
	// TLSCertificateSHA256 pins the server's self-signed certificate ("" = none).
	TLSCertificateSHA256 string
	host                 string
	port                 uint16
}

// ServerFrom reads the signaling section of a backend.json.
func ServerFrom(sig *provisioning.Signaling) (Server, error) {
	if sig == nil {
		return Server{}, fmt.Errorf("%w: backend.json has no signaling server", ErrServer)
	}
	key, err := cryptobox.ParsePublicKeyHex(sig.PublicKey)
	if err != nil {
		return Server{}, fmt.Errorf("%w: key: %w", ErrServer, err)
	}
	u, err := url.Parse(sig.URL)
	if err != nil || u.Hostname() == "" {
		return Server{}, fmt.Errorf("%w: URL %q", ErrServer, sig.URL)
	}
	port, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil || port == 0 {
		return Server{}, fmt.Errorf("%w: URL %q has no port", ErrServer, sig.URL)
	}
	return Server{URL: sig.URL, Key: key, TLSCertificateSHA256: sig.TLSCertificateSHA256, host: u.Hostname(), port: uint16(port)}, nil
}

// Offer is one pairing attempt: the desktop's permanent key pair, a fresh
// one-time auth token and the pairing code the phone scans.
type Offer struct {
	Key   cryptobox.KeyPair
	Token cryptobox.SymmetricKey
	// Code is the QR payload (base64), also shown as "Copy pairing code".
	Code string
}

// NewOffer creates a pairing offer with key (generated when zero) and a
// fresh token. permanent asks the phone to keep the session for trusted
// reconnects.
func NewOffer(srv Server, key cryptobox.KeyPair, permanent bool, rnd io.Reader) (Offer, error) {
	if key.Public.IsZero() {
		k, err := cryptobox.GenerateKeyPair(rnd)
		if err != nil {
			return Offer{}, fmt.Errorf("phonelink: key: %w", err)
		}
		key = k
	}
	tok, err := cryptobox.RandomSymmetricKey(rnd)
	if err != nil {
		return Offer{}, fmt.Errorf("phonelink: token: %w", err)
	}
	code, err := qr.Payload{Version: qr.ProtocolVersion, Permanent: permanent, InitiatorKey: key.Public, AuthToken: tok,
		ServerKey: srv.Key, Host: srv.host, Port: srv.port}.Encode()
	if err != nil {
		return Offer{}, fmt.Errorf("phonelink: pairing code: %w", err)
	}
	return Offer{Key: key, Token: tok, Code: code}, nil
}
