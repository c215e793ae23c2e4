// Package provisioning reads and writes backend.json, the file that tells
// clients (the virtual phone, the desktop) where a Kurier backend listens and
// which server public keys to pin — the same idea as an OnPrem provisioning
// file. kurier-backend writes it once every server listens; its admin server
// also serves it at GET /backend.json.
//
//	{"version": 1,
//	 "directory": {"url": "http://127.0.0.1:8081/"},
//	 "blob": {"url": "http://127.0.0.1:8082/"},
//	 "chat": {"address": "127.0.0.1:5222", "public_key": "<64 hex>"},
//	 "signaling": {"url": "wss://127.0.0.1:8765/", "public_key": "<64 hex>", "tls_certificate_sha256": "<64 hex>"},
//	 "admin": {"url": "http://127.0.0.1:8080/"}}
//
// # Signaling on several nodes
//
// An operator may run several signaling nodes. There is no relay between
// them: the two peers of one SaltyRTC path (the desktop, the initiator, and
// the phone, the responder) meet only if both connect to the same node. As
// in Threema Web, where the desktop picks saltyrtc-XX.threema.ch with XX the
// first byte of its permanent public key, the node follows from the
// initiator's permanent public key K alone:
//
//	node = nodes[K[0] % len(nodes)]
//
// (NodeIndex). The desktop puts that node's host and port into the pairing
// QR code; the phone goes to the node the code names and, on a trusted-key
// reconnect without a code, to the node the stored initiator key selects.
// With 256 nodes listed in the order of their prefix this is Threema's rule.
// A list was chosen over a host template with a {prefix} placeholder
// because nodes that differ only by port (one machine, or the tests on
// loopback) cannot be written as a template, and a template needs 256 DNS
// names.
//
// The list is the optional "nodes" of the signaling section; each node has a
// ws:// or wss:// URL with an explicit port and may override the section's
// public_key and tls_certificate_sha256, which it otherwise inherits (the
// usual cluster shares one permanent key and one certificate):
//
//	"signaling": {"url": "wss://sig-a.example.org:8765/", "public_key": "<64 hex>",
//	              "nodes": [{"url": "wss://sig-a.example.org:8765/"},
//	                        {"url": "wss://sig-b.example.org:8765/"}]}
//
// Without "nodes" the single url is the only node, and everything — the QR
// code included — is as it was before nodes existed. The order of the list
// is part of the rule: every backend.json of one cluster must list the same
// nodes in the same order. Clients that know the list ignore url.
package provisioning

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/qr"
)

// Version is the only file format version this package reads and writes.
const Version = 1

// maxFileBytes bounds what Load reads.
const maxFileBytes = 64 << 10

// ErrInvalid is returned for a file that does not describe a usable backend.
var ErrInvalid = errors.New("provisioning: invalid backend.json")

// File is the content of backend.json.
type File struct {
	Version   int        `json:"version"`
	Directory HTTPServer `json:"directory"`
	Blob      HTTPServer `json:"blob"`
	Chat      Chat       `json:"chat"`
	Signaling *Signaling `json:"signaling,omitempty"`
	Admin     HTTPServer `json:"admin"`
}

// HTTPServer locates an HTTP server by its base URL (ending in "/").
type HTTPServer struct {
	URL string `json:"url"`
}

// Chat locates the chat server and pins its long-term public key.
type Chat struct {
	Address   string `json:"address"`
	PublicKey string `json:"public_key"`
}

// MaxSignalingNodes bounds Signaling.Nodes: the rule uses one byte of the
// initiator key, so nodes past the 256th would never be chosen.
const MaxSignalingNodes = 256

// Signaling locates the SaltyRTC signaling server and pins its permanent
// public key and, for its self-signed TLS certificate, the certificate's SHA-256.
type Signaling struct {
	// URL is the signaling server, ws:// or wss://host:port. With Nodes it
	// stays for clients that do not know them; clients that do ignore it.
	URL string `json:"url"`
	// PublicKey is the server permanent public key (64 hex), and the key of
	// every node that does not name its own.
	PublicKey string `json:"public_key"`
	// TLSCertificateSHA256 pins the self-signed TLS certificate (64 hex, ""
	// = no pin), also for every node that does not name its own.
	TLSCertificateSHA256 string `json:"tls_certificate_sha256,omitempty"`
	// Nodes, when present, are the signaling nodes of a cluster; the node of
	// an initiator key K is Nodes[K[0] % len(Nodes)] (NodeFor). Absent (nil)
	// means one node, URL; present but empty is invalid.
	Nodes []SignalingNode `json:"nodes,omitempty"`
}

// SignalingNode is one signaling node of a cluster.
type SignalingNode struct {
	// URL is ws:// or wss://host:port, with an explicit port (the QR code
	// carries host and port).
	URL string `json:"url"`
	// PublicKey is the node's permanent public key (64 hex); "" inherits
	// the signaling section's.
	PublicKey string `json:"public_key,omitempty"`
	// TLSCertificateSHA256 pins the node's certificate (64 hex); "" inherits
	// the signaling section's.
	TLSCertificateSHA256 string `json:"tls_certificate_sha256,omitempty"`
}

// NodeIndex is the rule that picks a signaling node: the index, among n
// nodes, of the node for the initiator permanent public key initiator,
// initiator[0] % n. It returns 0 when n < 1.
func NodeIndex(initiator cryptobox.PublicKey, n int) int {
	if n < 1 {
		return 0
	}
	return int(initiator[0]) % n
}

// NodeList is the list clients choose from: Nodes with the inherited key and
// certificate pin filled in, or, without Nodes, the single node URL.
func (s *Signaling) NodeList() []SignalingNode {
	if s.Nodes == nil {
		return []SignalingNode{{URL: s.URL, PublicKey: s.PublicKey, TLSCertificateSHA256: s.TLSCertificateSHA256}}
	}
	out := make([]SignalingNode, len(s.Nodes))
	for i, n := range s.Nodes {
		if n.PublicKey == "" {
			n.PublicKey = s.PublicKey
		}
		if n.TLSCertificateSHA256 == "" {
			n.TLSCertificateSHA256 = s.TLSCertificateSHA256
		}
		out[i] = n
	}
	return out
}

// NodeFor is the node where the initiator with permanent public key
// initiator and its responder meet (NodeIndex over NodeList).
func (s *Signaling) NodeFor(initiator cryptobox.PublicKey) SignalingNode {
	nodes := s.NodeList()
	return nodes[NodeIndex(initiator, len(nodes))]
}

// Lookup finds the node at host (compared without case) and port, as a
// pairing QR code names it.
func (s *Signaling) Lookup(host string, port uint16) (SignalingNode, bool) {
	for _, n := range s.NodeList() {
		h, p, err := n.HostPort()
		if err == nil && p == port && strings.EqualFold(h, host) {
			return n, true
		}
	}
	return SignalingNode{}, false
}

// HostPort splits the node's URL into the host and port a QR code carries.
func (n SignalingNode) HostPort() (string, uint16, error) {
	u, err := url.Parse(n.URL)
	if err != nil {
		return "", 0, fmt.Errorf("%w: signaling URL: %w", ErrInvalid, err)
	}
	if u.Hostname() == "" {
		return "", 0, fmt.Errorf("%w: signaling URL %q has no host", ErrInvalid, n.URL)
	}
	port, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil || port == 0 {
		return "", 0, fmt.Errorf("%w: signaling URL %q has no port", ErrInvalid, n.URL)
	}
	return u.Hostname(), uint16(port), nil
}

// Validate checks the signaling section: URL, keys, pins and, when present,
// every node (at least one, at most MaxSignalingNodes, no host and port twice).
func (s *Signaling) Validate() error {
	if err := checkURL(s.URL, "ws", "wss"); err != nil {
		return fmt.Errorf("%w: signaling: %w", ErrInvalid, err)
	}
	if _, err := cryptobox.ParsePublicKeyHex(s.PublicKey); err != nil {
		return fmt.Errorf("%w: signaling public key: %w", ErrInvalid, err)
	}
	if err := checkFingerprint(s.TLSCertificateSHA256); err != nil {
		return fmt.Errorf("%w: signaling %w", ErrInvalid, err)
	}
	if s.Nodes == nil {
		return nil
	}
	if len(s.Nodes) == 0 {
		return fmt.Errorf("%w: signaling nodes: the list is empty (leave it out for one node)", ErrInvalid)
	}
	if len(s.Nodes) > MaxSignalingNodes {
		return fmt.Errorf("%w: signaling nodes: %d nodes, at most %d", ErrInvalid, len(s.Nodes), MaxSignalingNodes)
	}
	seen := make(map[string]int, len(s.Nodes))
	for i, n := range s.Nodes {
		if err := checkNodeURL(n.URL); err != nil {
			return fmt.Errorf("%w: signaling node %d: %w", ErrInvalid, i, err)
		}
		if n.PublicKey != "" {
			if _, err := cryptobox.ParsePublicKeyHex(n.PublicKey); err != nil {
				return fmt.Errorf("%w: signaling node %d public key: %w", ErrInvalid, i, err)
			}
		}
		if err := checkFingerprint(n.TLSCertificateSHA256); err != nil {
			return fmt.Errorf("%w: signaling node %d %w", ErrInvalid, i, err)
		}
		h, p, _ := n.HostPort()
		at := strings.ToLower(net.JoinHostPort(h, strconv.Itoa(int(p))))
		if j, dup := seen[at]; dup {
			return fmt.Errorf("%w: signaling nodes %d and %d are both %s", ErrInvalid, j, i, at)
		}
		seen[at] = i
	}
	return nil
}

// checkNodeURL accepts ws:// or wss://host:port with an explicit port, an
// empty path or "/", and nothing else: the QR code carries only host and port.
func checkNodeURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return fmt.Errorf("%q is not a ws:// or wss:// URL", raw)
	}
	host := u.Hostname()
	switch {
	case host == "":
		return fmt.Errorf("%q has no host", raw)
	case len(host) > qr.MaxHostLen:
		return fmt.Errorf("%q: host of %d bytes, at most %d", raw, len(host), qr.MaxHostLen)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || (u.Path != "" && u.Path != "/"):
		return fmt.Errorf("%q: only scheme, host and port are allowed", raw)
	}
	if port, err := strconv.ParseUint(u.Port(), 10, 16); err != nil || port == 0 {
		return fmt.Errorf("%q has no port (1-65535)", raw)
	}
	return nil
}

// checkFingerprint accepts "" or 64 hex characters.
func checkFingerprint(fp string) error {
	if fp == "" {
		return nil
	}
	if b, err := hex.DecodeString(fp); err != nil || len(b) != 32 {
		return errors.New("tls_certificate_sha256 is not 64 hex characters")
	}
	return nil
}

// ChatKey is the chat server's pinned public key.
func (f *File) ChatKey() (cryptobox.PublicKey, error) {
	return cryptobox.ParsePublicKeyHex(f.Chat.PublicKey)
}

// Validate checks every field a client relies on.
func (f *File) Validate() error {
	if f.Version != Version {
		return fmt.Errorf("%w: version %d, this program reads %d", ErrInvalid, f.Version, Version)
	}
	for name, u := range map[string]string{"directory": f.Directory.URL, "blob": f.Blob.URL, "admin": f.Admin.URL} {
		if err := checkURL(u, "http", "https"); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
		}
	}
	if _, _, err := net.SplitHostPort(f.Chat.Address); err != nil {
		return fmt.Errorf("%w: chat address: %w", ErrInvalid, err)
	}
	if _, err := f.ChatKey(); err != nil {
		return fmt.Errorf("%w: chat public key: %w", ErrInvalid, err)
	}
	if s := f.Signaling; s != nil {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(raw string, schemes ...string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ok := false
	for _, s := range schemes {
		ok = ok || u.Scheme == s
	}
	if !ok || u.Host == "" {
		return fmt.Errorf("%q is not a %v URL", raw, schemes)
	}
	return nil
}

// Parse decodes and validates backend.json content. Unknown fields are refused
// so a typo does not silently fall back to defaults.
func Parse(data []byte) (*File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Load reads and validates backend.json at path.
func Load(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("provisioning: %w", err)
	}
	defer func() { _ = fh.Close() }()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("provisioning: read %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrInvalid, path, maxFileBytes)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Write validates f and writes it to path atomically (temporary file, fsync,
// rename), so a reader waiting for the file never sees half of it.
func Write(path string, f *File) error {
	if err := f.Validate(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("provisioning: encode: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backend.json.*")
	if err != nil {
		return fmt.Errorf("provisioning: write: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("provisioning: write: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("provisioning: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("provisioning: write: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("provisioning: write: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("provisioning: write: %w", err)
	}
	return nil
}
