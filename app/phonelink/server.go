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

// ServerFrom reads the signaling section of a backend.json as one server,
// its url. A section with nodes describes a cluster: use NodesFrom and
// Nodes.For instead.
func ServerFrom(sig *provisioning.Signaling) (Server, error) {
	if sig == nil {
		return Server{}, fmt.Errorf("%w: backend.json has no signaling server", ErrServer)
	}
	return serverOf(provisioning.SignalingNode{URL: sig.URL, PublicKey: sig.PublicKey, TLSCertificateSHA256: sig.TLSCertificateSHA256})
}

// serverOf checks one signaling node and splits its URL for the QR code.
func serverOf(node provisioning.SignalingNode) (Server, error) {
	key, err := cryptobox.ParsePublicKeyHex(node.PublicKey)
	if err != nil {
		return Server{}, fmt.Errorf("%w: key: %w", ErrServer, err)
	}
	u, err := url.Parse(node.URL)
	if err != nil || u.Hostname() == "" {
		return Server{}, fmt.Errorf("%w: URL %q", ErrServer, node.URL)
	}
	port, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil || port == 0 {
		return Server{}, fmt.Errorf("%w: URL %q has no port", ErrServer, node.URL)
	}
	return Server{URL: node.URL, Key: key, TLSCertificateSHA256: node.TLSCertificateSHA256, host: u.Hostname(), port: uint16(port)}, nil
}

// Nodes are the signaling nodes of a backend in backend.json's order: the
// desktop with permanent key K waits at, and names in its pairing code, the
// node For(K) (provisioning.NodeIndex: nodes[K[0] % len(nodes)]), where the
// phone goes too. There is no relay between nodes.
type Nodes []Server

// NodesFrom reads every signaling node of a backend.json's signaling
// section; a section without nodes is one node, its url, so that the
// pairing code is the same as ServerFrom's.
func NodesFrom(sig *provisioning.Signaling) (Nodes, error) {
	if sig == nil {
		return nil, fmt.Errorf("%w: backend.json has no signaling server", ErrServer)
	}
	list := sig.NodeList()
	nodes := make(Nodes, 0, len(list))
	for i, n := range list {
		srv, err := serverOf(n)
		if err != nil {
			return nil, fmt.Errorf("signaling node %d: %w", i, err)
		}
		nodes = append(nodes, srv)
	}
	return nodes, nil
}

// For is the node where the initiator with permanent public key initiator
// meets its phone. nodes must not be empty.
func (n Nodes) For(initiator cryptobox.PublicKey) Server {
	return n[provisioning.NodeIndex(initiator, len(n))]
}

// Offer is one pairing attempt: the desktop's permanent key pair, a fresh
// one-time auth token and the pairing code the phone scans.
type Offer struct {
	Key   cryptobox.KeyPair
	Token cryptobox.SymmetricKey
	// Code is the QR payload (base64), also shown as "Copy pairing code".
	Code string
	// Server is the signaling node the code names: the desktop dials it.
	Server Server
}

// NewOffer creates a pairing offer at srv with key (generated when zero) and
// a fresh token. permanent asks the phone to keep the session for trusted
// reconnects.
func NewOffer(srv Server, key cryptobox.KeyPair, permanent bool, rnd io.Reader) (Offer, error) {
	return NewOfferOn(Nodes{srv}, key, permanent, rnd)
}

// NewOfferOn is NewOffer on a cluster: the code names the node that key
// (generated when zero) selects, nodes.For(key.Public). nodes must not be empty.
func NewOfferOn(nodes Nodes, key cryptobox.KeyPair, permanent bool, rnd io.Reader) (Offer, error) {
	if len(nodes) == 0 {
		return Offer{}, fmt.Errorf("%w: no signaling node", ErrServer)
	}
	if key.Public.IsZero() {
		k, err := cryptobox.GenerateKeyPair(rnd)
		if err != nil {
			return Offer{}, fmt.Errorf("phonelink: key: %w", err)
		}
		key = k
	}
	srv := nodes.For(key.Public)
	tok, err := cryptobox.RandomSymmetricKey(rnd)
	if err != nil {
		return Offer{}, fmt.Errorf("phonelink: token: %w", err)
	}
	code, err := qr.Payload{Version: qr.ProtocolVersion, Permanent: permanent, InitiatorKey: key.Public, AuthToken: tok,
		ServerKey: srv.Key, Host: srv.host, Port: srv.port}.Encode()
	if err != nil {
		return Offer{}, fmt.Errorf("phonelink: pairing code: %w", err)
	}
	return Offer{Key: key, Token: tok, Code: code, Server: srv}, nil
}
