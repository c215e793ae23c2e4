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

	"github.com/kurier/kurier/protocol/cryptobox"
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

// Signaling locates the SaltyRTC signaling server and pins its permanent
// public key and, for its self-signed TLS certificate, the certificate's SHA-256.
type Signaling struct {
	URL                  string `json:"url"`
	PublicKey            string `json:"public_key"`
	TLSCertificateSHA256 string `json:"tls_certificate_sha256,omitempty"`
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
		if err := checkURL(s.URL, "ws", "wss"); err != nil {
			return fmt.Errorf("%w: signaling: %w", ErrInvalid, err)
		}
		if _, err := cryptobox.ParsePublicKeyHex(s.PublicKey); err != nil {
			return fmt.Errorf("%w: signaling public key: %w", ErrInvalid, err)
		}
		if fp := s.TLSCertificateSHA256; fp != "" {
			if b, err := hex.DecodeString(fp); err != nil || len(b) != 32 {
				return fmt.Errorf("%w: signaling tls_certificate_sha256 is not 64 hex characters", ErrInvalid)
			}
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
