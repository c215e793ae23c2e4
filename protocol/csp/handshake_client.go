package csp

import (
	"fmt"
	"io"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// client handshake steps.
const (
	clientStepHello = iota
	clientStepServerHello
	clientStepLogin
	clientStepLoginAck
	clientStepDone
)

// ClientHandshake is the client side of the §3.2 handshake. Call, in order,
// Hello, ReadServerHello, Login and ReadLoginAck; the last returns the Session.
type ClientHandshake struct {
	step     int
	identity ID
	ck       cryptobox.KeyPair
	sk       cryptobox.PublicKey
	tck      cryptobox.KeyPair
	cck      Cookie
	sck      Cookie
	tsk      cryptobox.PublicKey
	key      cryptobox.SharedKey
	send     NonceCounter // CCK ‖ CSN
	recv     NonceCounter // SCK ‖ SSN
}

// NewClientHandshake prepares a login of identity, whose long-term key pair is
// ck, to the server whose long-term public key is serverKey. It draws the
// temporary key pair TCK and the cookie CCK from rand.
func NewClientHandshake(rand io.Reader, identity ID, ck cryptobox.KeyPair, serverKey cryptobox.PublicKey) (*ClientHandshake, error) {
	if !identity.Valid() {
		return nil, fmt.Errorf("csp: client handshake: %w", ErrInvalidID)
	}
	tck, err := cryptobox.GenerateKeyPair(rand)
	if err != nil {
		return nil, fmt.Errorf("csp: client handshake: %w", err)
	}
	cck, err := RandomCookie(rand)
	if err != nil {
		return nil, err
	}
	return &ClientHandshake{identity: identity, ck: ck, sk: serverKey, tck: tck, cck: cck, send: NewNonceCounter(cck)}, nil
}

// Hello returns the 48-byte client-hello.
func (h *ClientHandshake) Hello() ([]byte, error) {
	if h.step != clientStepHello {
		return nil, ErrHandshakeState
	}
	h.step = clientStepServerHello
	return ClientHello{TCK: h.tck.Public, CCK: h.cck}.AppendTo(make([]byte, 0, ClientHelloLen)), nil
}

// ReadServerHello opens the 80-byte server-hello, checks that it echoes CCK
// and that SCK differs from CCK, and derives the transport key.
func (h *ClientHandshake) ReadServerHello(b []byte) error {
	if h.step != clientStepServerHello {
		return ErrHandshakeState
	}
	sh, err := OpenServerHello(b, h.sk, h.tck.Secret)
	if err != nil {
		return err
	}
	if sh.CCK != h.cck {
		return fmt.Errorf("%w: server-hello echoes another client cookie", ErrCookieMismatch)
	}
	if sh.SCK == h.cck {
		return ErrSameCookies
	}
	h.sck, h.tsk = sh.SCK, sh.TSK
	h.recv = NewNonceCounter(sh.SCK)
	if _, err := h.recv.Next(); err != nil { // SCK‖1 was the server-hello
		return err
	}
	h.key = cryptobox.Precompute(h.tsk, h.tck.Secret)
	h.step = clientStepLogin
	return nil
}

// Login returns the login box (144 bytes), followed by the extensions box
// when ext is not empty.
func (h *ClientHandshake) Login(ext Extensions) ([]byte, error) {
	if h.step != clientStepLogin {
		return nil, ErrHandshakeState
	}
	var extPlain []byte
	if !ext.IsZero() {
		var err error
		if extPlain, err = ext.AppendTo(nil); err != nil {
			return nil, err
		}
	}
	vouch, err := ClientVouch(h.ck.Secret, h.sk, h.tsk, h.sck, h.tck.Public)
	if err != nil {
		return nil, err
	}
	ld := LoginData{Identity: h.identity, SCK: h.sck, Vouch: vouch}
	if extPlain != nil {
		ld.ExtensionsLen = len(extPlain) + cryptobox.Overhead
	}
	plain, err := ld.AppendTo(make([]byte, 0, LoginDataLen))
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, LoginLen+ld.ExtensionsLen)
	nonce, err := h.send.Next() // CCK‖1
	if err != nil {
		return nil, err
	}
	out = h.key.Seal(out, plain, &nonce)
	if extPlain != nil {
		if nonce, err = h.send.Next(); err != nil { // CCK‖2
			return nil, err
		}
		out = h.key.Seal(out, extPlain, &nonce)
	}
	h.step = clientStepLoginAck
	return out, nil
}

// ReadLoginAck opens the 32-byte login-ack and returns the established
// session.
func (h *ClientHandshake) ReadLoginAck(b []byte) (*Session, error) {
	if h.step != clientStepLoginAck {
		return nil, ErrHandshakeState
	}
	if len(b) != LoginAckLen {
		return nil, fmt.Errorf("%w: login-ack of %d bytes, want %d", ErrLength, len(b), LoginAckLen)
	}
	nonce, err := h.recv.Next() // SCK‖2
	if err != nil {
		return nil, err
	}
	plain, err := h.key.Open(nil, b, &nonce)
	if err != nil {
		return nil, fmt.Errorf("%w: login-ack", ErrDecrypt)
	}
	if !allZero(plain) {
		return nil, fmt.Errorf("%w: login-ack", ErrReserved)
	}
	h.step = clientStepDone
	return newSession(h.key, h.send, h.recv), nil
}
