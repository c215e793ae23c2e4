package csp

import (
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Sizes of the handshake messages (§3.2).
const (
	// ClientHelloLen is the size of client-hello: TCK.pub(32) ‖ CCK(16).
	ClientHelloLen = cryptobox.KeySize + CookieLen
	// ServerHelloLen is the size of server-hello: SCK(16) ‖ box(TSK.pub ‖ CCK) (64).
	ServerHelloLen = CookieLen + cryptobox.KeySize + CookieLen + cryptobox.Overhead
	// LoginLen is the size of the login box: Box(login-data 128).
	LoginLen = LoginDataLen + cryptobox.Overhead
	// LoginAckLen is the size of login-ack: Box(16 zero bytes).
	LoginAckLen = loginAckPlainLen + cryptobox.Overhead
)

// loginAckPlainLen is the plaintext of login-ack: 16 reserved zero bytes.
const loginAckPlainLen = 16

// ClientHello is the first message of the handshake, sent in the clear.
type ClientHello struct {
	TCK cryptobox.PublicKey // the client's temporary public key
	CCK Cookie              // the client's cookie
}

// AppendTo appends the 48-byte encoding of h to dst.
func (h ClientHello) AppendTo(dst []byte) []byte {
	dst = append(dst, h.TCK[:]...)
	return append(dst, h.CCK[:]...)
}

// ParseClientHello decodes a 48-byte client-hello.
func ParseClientHello(b []byte) (ClientHello, error) {
	var h ClientHello
	if len(b) != ClientHelloLen {
		return h, fmt.Errorf("%w: client-hello of %d bytes, want %d", ErrLength, len(b), ClientHelloLen)
	}
	copy(h.TCK[:], b[:cryptobox.KeySize])
	copy(h.CCK[:], b[cryptobox.KeySize:])
	return h, nil
}

// ServerHello is the server's answer to client-hello: its cookie in the clear
// and, boxed from the server's long-term key to TCK, its temporary key and the
// client's cookie.
type ServerHello struct {
	SCK Cookie              // the server's cookie
	TSK cryptobox.PublicKey // the server's temporary public key
	CCK Cookie              // the client's cookie, echoed
}

// SealServerHello encodes h, boxing TSK.pub ‖ CCK with the server's long-term
// secret key sk for the client's temporary key tck, nonce SCK‖1.
func SealServerHello(h ServerHello, sk cryptobox.SecretKey, tck cryptobox.PublicKey) []byte {
	out := make([]byte, 0, ServerHelloLen)
	out = append(out, h.SCK[:]...)
	plain := make([]byte, 0, cryptobox.KeySize+CookieLen)
	plain = append(plain, h.TSK[:]...)
	plain = append(plain, h.CCK[:]...)
	nonce := TransportNonce(h.SCK, 1)
	return cryptobox.Seal(out, plain, &nonce, tck, sk)
}

// OpenServerHello decodes an 80-byte server-hello, opening its box with the
// client's temporary secret key tck and the server's long-term key sk.
func OpenServerHello(b []byte, sk cryptobox.PublicKey, tck cryptobox.SecretKey) (ServerHello, error) {
	var h ServerHello
	if len(b) != ServerHelloLen {
		return h, fmt.Errorf("%w: server-hello of %d bytes, want %d", ErrLength, len(b), ServerHelloLen)
	}
	copy(h.SCK[:], b[:CookieLen])
	nonce := TransportNonce(h.SCK, 1)
	plain, err := cryptobox.Open(nil, b[CookieLen:], &nonce, sk, tck)
	if err != nil {
		return ServerHello{}, fmt.Errorf("%w: server-hello (wrong server key?)", ErrDecrypt)
	}
	copy(h.TSK[:], plain[:cryptobox.KeySize])
	copy(h.CCK[:], plain[cryptobox.KeySize:])
	return h, nil
}
