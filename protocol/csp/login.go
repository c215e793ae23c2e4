package csp

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// LoginDataLen is the size of the login data inside the login box (§3.2).
const LoginDataLen = 128

// VouchLen is the size of the BLAKE2b vouch.
const VouchLen = 32

// ExtensionIndicator marks bytes 8..37 of the login data when an extensions
// box follows the login box; bytes 38..39 then hold its length (u16-le).
const ExtensionIndicator = "threema-clever-extension-field"

// Offsets of the login-data fields (§3.2).
const (
	loginOffIdentity   = 0
	loginOffClientInfo = 8  // 32 bytes: client-info string or extension indicator ‖ length
	loginOffExtLen     = 38 // u16-le after the 30-byte indicator
	loginOffSCK        = 40
	loginOffReserved1  = 56 // 24 zero bytes; non-zero means the legacy vouch-nonce
	loginOffVouch      = 80
	loginOffReserved2  = 112 // 16 zero bytes
	loginClientInfoLen = 32
)

// Vouch is the 32-byte BLAKE2b vouch of the login data.
type Vouch [VouchLen]byte

// LoginData is the plaintext of the login box.
type LoginData struct {
	// Identity is the client's identity.
	Identity ID
	// ExtensionsLen is the byte length of the extensions box that follows
	// the login box (0: none, else at least cryptobox.Overhead).
	ExtensionsLen int
	// ClientInfo is the old-style client-info string, used only when no
	// extensions follow (at most 32 bytes, no NUL).
	ClientInfo string
	// SCK is the server cookie the client received, echoed.
	SCK Cookie
	// Vouch proves possession of the identity's secret key.
	Vouch Vouch
}

// AppendTo appends the 128-byte encoding of d to dst.
func (d LoginData) AppendTo(dst []byte) ([]byte, error) {
	if !d.Identity.Valid() {
		return dst, fmt.Errorf("csp: login data: %w", ErrInvalidID)
	}
	var b [LoginDataLen]byte
	copy(b[loginOffIdentity:], d.Identity[:])
	switch {
	case d.ExtensionsLen != 0:
		if d.ClientInfo != "" {
			return dst, fmt.Errorf("%w: login data has both client-info and extensions", ErrInvalidPayload)
		}
		if d.ExtensionsLen < cryptobox.Overhead || d.ExtensionsLen > MaxExtensionsLen+cryptobox.Overhead {
			return dst, fmt.Errorf("%w: extensions box of %d bytes", ErrExtensions, d.ExtensionsLen)
		}
		copy(b[loginOffClientInfo:], ExtensionIndicator)
		binary.LittleEndian.PutUint16(b[loginOffExtLen:], uint16(d.ExtensionsLen))
	default:
		if len(d.ClientInfo) > loginClientInfoLen || bytes.IndexByte([]byte(d.ClientInfo), 0) >= 0 ||
			(len(d.ClientInfo) >= len(ExtensionIndicator) && d.ClientInfo[:len(ExtensionIndicator)] == ExtensionIndicator) {
			return dst, fmt.Errorf("%w: client-info of %d bytes", ErrInvalidPayload, len(d.ClientInfo))
		}
		copy(b[loginOffClientInfo:], d.ClientInfo)
	}
	copy(b[loginOffSCK:], d.SCK[:])
	copy(b[loginOffVouch:], d.Vouch[:])
	return append(dst, b[:]...), nil
}

// ParseLoginData decodes and validates 128 bytes of login data. A login in the
// legacy vouch-box format is refused with ErrLegacyVouch; the returned data
// then still carries the identity so the caller can log whom it refused.
func ParseLoginData(b []byte) (LoginData, error) {
	var d LoginData
	if len(b) != LoginDataLen {
		return d, fmt.Errorf("%w: login data of %d bytes, want %d", ErrLength, len(b), LoginDataLen)
	}
	id, err := IDFromBytes(b[loginOffIdentity : loginOffIdentity+IDLen])
	if err != nil {
		return d, fmt.Errorf("csp: login data: %w", err)
	}
	d.Identity = id
	if !allZero(b[loginOffReserved1:loginOffVouch]) {
		return d, fmt.Errorf("csp: login of %s: %w", id, ErrLegacyVouch)
	}
	if !allZero(b[loginOffReserved2:]) {
		return d, fmt.Errorf("%w: login data bytes 112..127", ErrReserved)
	}
	info := b[loginOffClientInfo : loginOffClientInfo+loginClientInfoLen]
	if bytes.HasPrefix(info, []byte(ExtensionIndicator)) {
		n := int(binary.LittleEndian.Uint16(b[loginOffExtLen:]))
		if n < cryptobox.Overhead || n > MaxExtensionsLen+cryptobox.Overhead {
			return d, fmt.Errorf("%w: extensions box of %d bytes", ErrExtensions, n)
		}
		d.ExtensionsLen = n
	} else {
		s := bytes.TrimRight(info, "\x00")
		if bytes.IndexByte(s, 0) >= 0 {
			return d, fmt.Errorf("%w: client-info is not zero-padded", ErrInvalidPayload)
		}
		d.ClientInfo = string(s)
	}
	copy(d.SCK[:], b[loginOffSCK:loginOffReserved1])
	copy(d.Vouch[:], b[loginOffVouch:loginOffReserved2])
	return d, nil
}

// Labels of the vouch key derivation (§3.2).
const (
	vouchSalt     = "v2"
	vouchPersonal = "3ma-csp"
)

// VouchFromShared computes the vouch from the two shared secrets
// SS1 = X25519HSalsa20(CK.sec, SK.pub) and SS2 = X25519HSalsa20(CK.sec,
// TSK.pub), the server cookie and the client's temporary public key:
//
//	VouchKey = BLAKE2b-256(key = SS1 ‖ SS2, salt "v2", personal "3ma-csp")
//	vouch    = BLAKE2b-256(key = VouchKey, input = SCK ‖ TCK.pub)
func VouchFromShared(ss1, ss2 cryptobox.SharedKey, sck Cookie, tck cryptobox.PublicKey) (Vouch, error) {
	var key [2 * cryptobox.KeySize]byte
	copy(key[:], ss1[:])
	copy(key[cryptobox.KeySize:], ss2[:])
	vk, err := cryptobox.Blake2b256(key[:], vouchSalt, vouchPersonal, nil)
	clear(key[:])
	if err != nil {
		return Vouch{}, fmt.Errorf("csp: vouch key: %w", err)
	}
	var in [CookieLen + cryptobox.KeySize]byte
	copy(in[:], sck[:])
	copy(in[CookieLen:], tck[:])
	v, err := cryptobox.Blake2b256(vk[:], "", "", in[:])
	clear(vk[:])
	if err != nil {
		return Vouch{}, fmt.Errorf("csp: vouch: %w", err)
	}
	return Vouch(v), nil
}

// ClientVouch computes the vouch on the client side from the identity's
// secret key ck, the server's long-term and temporary public keys, the server
// cookie and the client's temporary public key.
func ClientVouch(ck cryptobox.SecretKey, sk, tsk cryptobox.PublicKey, sck Cookie, tck cryptobox.PublicKey) (Vouch, error) {
	return VouchFromShared(cryptobox.Precompute(sk, ck), cryptobox.Precompute(tsk, ck), sck, tck)
}

// ServerVouch computes the vouch a client with public key ck must send, on the
// server side, from the server's long-term and temporary secret keys.
func ServerVouch(sk, tsk cryptobox.SecretKey, ck cryptobox.PublicKey, sck Cookie, tck cryptobox.PublicKey) (Vouch, error) {
	return VouchFromShared(cryptobox.Precompute(ck, sk), cryptobox.Precompute(ck, tsk), sck, tck)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
