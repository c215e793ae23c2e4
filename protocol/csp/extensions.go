package csp

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// MaxExtensionsLen bounds the plaintext of the extensions box. The spec sets
// no limit beyond the u16 length; real extensions are a few dozen bytes, and
// a server must not read an attacker-chosen 64 KiB before authentication.
const MaxExtensionsLen = 1024

// ExtensionType is the type byte of a login extension (§3.2).
type ExtensionType uint8

// Login extension types (§3.2).
const (
	// ExtClientInfo is the UTF-8 client-info string
	// "version;platform;lang/country;…".
	ExtClientInfo ExtensionType = 0x00
	// ExtDeviceID is the CSP device id, u64-le.
	ExtDeviceID ExtensionType = 0x01
	// ExtMessagePayloadVersion is the message payload version, u8.
	ExtMessagePayloadVersion ExtensionType = 0x02
	// ExtDeviceCookie is the 16-byte device cookie.
	ExtDeviceCookie ExtensionType = 0x03
)

// Message payload versions (extension 0x02).
const (
	// PayloadVersionLegacy is the legacy-message envelope (no metadata box).
	PayloadVersionLegacy uint8 = 0
	// PayloadVersionMetadata is the message-with-metadata-box envelope.
	PayloadVersionMetadata uint8 = 1
)

// extHeaderLen is type u8 ‖ length u16-le.
const extHeaderLen = 3

// Extensions are the login extensions of §3.2. A field whose Has flag is false
// was not sent. Unknown extension types are skipped when decoding.
type Extensions struct {
	// ClientInfo is "version;platform;lang/country;…" (UTF-8; empty: not sent).
	ClientInfo string
	// DeviceID is the CSP device id, if HasDeviceID.
	DeviceID    uint64
	HasDeviceID bool // whether the extension is present
	// PayloadVersion is the message payload version, if HasPayloadVersion
	// (PayloadVersionLegacy when absent).
	PayloadVersion    uint8
	HasPayloadVersion bool // whether the extension is present
	// DeviceCookie is the device cookie, if HasDeviceCookie.
	DeviceCookie    Cookie
	HasDeviceCookie bool // whether the extension is present
}

// IsZero reports whether no extension is set.
func (e Extensions) IsZero() bool {
	return e.ClientInfo == "" && !e.HasDeviceID && !e.HasPayloadVersion && !e.HasDeviceCookie
}

// AppendTo appends the TLV encoding of e to dst.
func (e Extensions) AppendTo(dst []byte) ([]byte, error) {
	start := len(dst)
	if e.ClientInfo != "" {
		if !utf8.ValidString(e.ClientInfo) {
			return dst, fmt.Errorf("%w: client-info is not UTF-8", ErrExtensions)
		}
		dst = appendExt(dst, ExtClientInfo, []byte(e.ClientInfo))
	}
	if e.HasDeviceID {
		dst = appendExt(dst, ExtDeviceID, binary.LittleEndian.AppendUint64(nil, e.DeviceID))
	}
	if e.HasPayloadVersion {
		if e.PayloadVersion > PayloadVersionMetadata {
			return dst, fmt.Errorf("%w: message payload version %d", ErrExtensions, e.PayloadVersion)
		}
		dst = appendExt(dst, ExtMessagePayloadVersion, []byte{e.PayloadVersion})
	}
	if e.HasDeviceCookie {
		dst = appendExt(dst, ExtDeviceCookie, e.DeviceCookie[:])
	}
	if len(dst)-start > MaxExtensionsLen {
		return dst[:start], fmt.Errorf("%w: %d bytes, at most %d", ErrExtensions, len(dst)-start, MaxExtensionsLen)
	}
	return dst, nil
}

func appendExt(dst []byte, t ExtensionType, v []byte) []byte {
	dst = append(dst, byte(t))
	dst = binary.LittleEndian.AppendUint16(dst, uint16(len(v)))
	return append(dst, v...)
}

// ParseExtensions decodes the plaintext of the extensions box. Each known
// type may appear once and must have its exact size; unknown types are
// skipped (a newer client may send more).
func ParseExtensions(b []byte) (Extensions, error) {
	var e Extensions
	if len(b) > MaxExtensionsLen {
		return e, fmt.Errorf("%w: %d bytes, at most %d", ErrExtensions, len(b), MaxExtensionsLen)
	}
	var seen [4]bool
	for len(b) > 0 {
		if len(b) < extHeaderLen {
			return Extensions{}, fmt.Errorf("%w: truncated header", ErrExtensions)
		}
		t := ExtensionType(b[0])
		n := int(binary.LittleEndian.Uint16(b[1:3]))
		b = b[extHeaderLen:]
		if n > len(b) {
			return Extensions{}, fmt.Errorf("%w: type %#02x claims %d bytes, %d left", ErrExtensions, uint8(t), n, len(b))
		}
		v := b[:n]
		b = b[n:]
		if int(t) < len(seen) {
			if seen[t] {
				return Extensions{}, fmt.Errorf("%w: type %#02x repeated", ErrExtensions, uint8(t))
			}
			seen[t] = true
		}
		switch t {
		case ExtClientInfo:
			if !utf8.Valid(v) {
				return Extensions{}, fmt.Errorf("%w: client-info is not UTF-8", ErrExtensions)
			}
			e.ClientInfo = string(v)
		case ExtDeviceID:
			if n != 8 {
				return Extensions{}, fmt.Errorf("%w: device id of %d bytes", ErrExtensions, n)
			}
			e.DeviceID, e.HasDeviceID = binary.LittleEndian.Uint64(v), true
		case ExtMessagePayloadVersion:
			if n != 1 || v[0] > PayloadVersionMetadata {
				return Extensions{}, fmt.Errorf("%w: message payload version", ErrExtensions)
			}
			e.PayloadVersion, e.HasPayloadVersion = v[0], true
		case ExtDeviceCookie:
			if n != CookieLen {
				return Extensions{}, fmt.Errorf("%w: device cookie of %d bytes", ErrExtensions, n)
			}
			copy(e.DeviceCookie[:], v)
			e.HasDeviceCookie = true
		}
	}
	return e, nil
}
