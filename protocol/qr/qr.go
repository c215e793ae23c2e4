// Package qr encodes and decodes the pairing payload that the desktop shows as
// a QR code and the phone scans (Threema Web's format, protocols.md §2.5,
// threema-web docs/qr_code.md): base64 of
//
//	version u16 BE ‖ options u8 ‖ initiator permanent key (32) ‖ auth token (32) ‖
//	server permanent key (32, all zero = none) ‖ SaltyRTC port u16 BE ‖ SaltyRTC host (UTF-8)
//
// Options: bit 0 self-hosted, bit 1 permanent (the user set a password); the
// other bits must be zero. It does no rendering: the desktop draws the QR code.
package qr

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// ProtocolVersion is the Threema Web protocol version Kurier pairs with (§2.5: PROTOCOL_VERSION = 2).
const ProtocolVersion = 2

// Layout of the binary payload.
const (
	headerLen = 2 + 1 + 3*cryptobox.KeySize + 2 // everything before the host
	// MaxHostLen bounds the host name (a DNS name is at most 253 characters).
	MaxHostLen = 255
	// MaxEncodedLen bounds the base64 text Decode accepts.
	MaxEncodedLen = 4 * (headerLen + MaxHostLen + 2) / 3
)

// Option bits.
const (
	optionSelfHosted = 1 << 0
	optionPermanent  = 1 << 1
	optionsKnown     = optionSelfHosted | optionPermanent
)

// ErrInvalid is returned for a payload that is not a pairing code.
var ErrInvalid = errors.New("qr: invalid pairing code")

// Payload is the content of a pairing QR code.
type Payload struct {
	// Version is the protocol version, ProtocolVersion for Kurier.
	Version uint16
	// SelfHosted marks a self-hosted web client (it only changes error texts on the phone).
	SelfHosted bool
	// Permanent marks a session the desktop keeps (the user set a password), so
	// the phone remembers the desktop's key for trusted reconnects.
	Permanent bool
	// InitiatorKey is the desktop's SaltyRTC permanent public key.
	InitiatorKey cryptobox.PublicKey
	// AuthToken is the one-time SaltyRTC auth token (a secretbox key).
	AuthToken cryptobox.SymmetricKey
	// ServerKey is the signaling server's permanent public key; zero means none.
	ServerKey cryptobox.PublicKey
	// Port and Host locate the signaling server.
	Port uint16
	Host string
}

// Encode returns the base64 text of the payload.
func (p Payload) Encode() (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	b := make([]byte, 0, headerLen+len(p.Host))
	b = binary.BigEndian.AppendUint16(b, p.Version)
	var opts byte
	if p.SelfHosted {
		opts |= optionSelfHosted
	}
	if p.Permanent {
		opts |= optionPermanent
	}
	b = append(b, opts)
	b = append(b, p.InitiatorKey[:]...)
	b = append(b, p.AuthToken[:]...)
	b = append(b, p.ServerKey[:]...)
	b = binary.BigEndian.AppendUint16(b, p.Port)
	b = append(b, p.Host...)
	return base64.StdEncoding.EncodeToString(b), nil
}

// Decode parses base64 text (white space, e.g. line breaks, is ignored).
func Decode(text string) (Payload, error) {
	if len(text) > 2*MaxEncodedLen {
		return Payload{}, fmt.Errorf("%w: %d characters", ErrInvalid, len(text))
	}
	text = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text)
	if len(text) > MaxEncodedLen {
		return Payload{}, fmt.Errorf("%w: %d characters", ErrInvalid, len(text))
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return Payload{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if len(b) <= headerLen {
		return Payload{}, fmt.Errorf("%w: %d bytes, at least %d needed", ErrInvalid, len(b), headerLen+1)
	}
	opts := b[2]
	if opts&^optionsKnown != 0 {
		return Payload{}, fmt.Errorf("%w: unknown option bits %#02x", ErrInvalid, opts&^optionsKnown)
	}
	p := Payload{
		Version:    binary.BigEndian.Uint16(b[0:2]),
		SelfHosted: opts&optionSelfHosted != 0,
		Permanent:  opts&optionPermanent != 0,
		Port:       binary.BigEndian.Uint16(b[headerLen-2 : headerLen]),
		Host:       string(b[headerLen:]),
	}
	off := 3
	off += copy(p.InitiatorKey[:], b[off:])
	off += copy(p.AuthToken[:], b[off:])
	copy(p.ServerKey[:], b[off:])
	if err := p.validate(); err != nil {
		return Payload{}, err
	}
	return p, nil
}

// HasServerKey reports whether the code pins a signaling server key.
func (p Payload) HasServerKey() bool { return !p.ServerKey.IsZero() }

func (p Payload) validate() error {
	switch {
	case p.Host == "":
		return fmt.Errorf("%w: no host", ErrInvalid)
	case len(p.Host) > MaxHostLen:
		return fmt.Errorf("%w: host of %d bytes", ErrInvalid, len(p.Host))
	case !utf8.ValidString(p.Host) || strings.ContainsFunc(p.Host, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return fmt.Errorf("%w: host is not a host name", ErrInvalid)
	case p.Port == 0:
		return fmt.Errorf("%w: port 0", ErrInvalid)
	case p.InitiatorKey.IsZero():
		return fmt.Errorf("%w: no initiator key", ErrInvalid)
	case p.AuthToken == cryptobox.SymmetricKey{}:
		return fmt.Errorf("%w: no auth token", ErrInvalid)
	}
	return nil
}
