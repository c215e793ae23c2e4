package csp

import (
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// server handshake steps.
const (
	serverStepClientHello = iota
	serverStepLogin
	serverStepExtensions
	serverStepVouch
	serverStepAccept
	serverStepDone
)

// ServerHandshake is the server side of the §3.2 handshake. Call, in order,
// ReadClientHello, ReadLogin, ReadExtensions (only when the login data
// announces extensions), VerifyVouch with the identity's public key from the
// directory, and Accept. After ReadLogin, Refuse may be called instead of
// Accept to tell the client why it is turned away.
type ServerHandshake struct {
	step  int
	sk    cryptobox.KeyPair
	tsk   cryptobox.KeyPair
	sck   Cookie
	cck   Cookie
	tck   cryptobox.PublicKey
	key   cryptobox.SharedKey
	login LoginData
	send  NonceCounter // SCK ‖ SSN
	recv  NonceCounter // CCK ‖ CSN
}

// NewServerHandshake prepares the server side with the server's long-term key
// pair sk, drawing the temporary key pair TSK and the cookie SCK from rand.
func NewServerHandshake(rand io.Reader, sk cryptobox.KeyPair) (*ServerHandshake, error) {
	tsk, err := cryptobox.GenerateKeyPair(rand)
	if err != nil {
		return nil, fmt.Errorf("csp: server handshake: %w", err)
	}
	sck, err := RandomCookie(rand)
	if err != nil {
		return nil, err
	}
	return &ServerHandshake{sk: sk, tsk: tsk, sck: sck, send: NewNonceCounter(sck)}, nil
}

// ReadClientHello decodes the 48-byte client-hello and returns the 80-byte
// server-hello to send back.
func (h *ServerHandshake) ReadClientHello(b []byte) ([]byte, error) {
	if h.step != serverStepClientHello {
		return nil, ErrHandshakeState
	}
	ch, err := ParseClientHello(b)
	if err != nil {
		return nil, err
	}
	if ch.CCK == h.sck {
		return nil, ErrSameCookies
	}
	h.cck, h.tck = ch.CCK, ch.TCK
	h.recv = NewNonceCounter(ch.CCK)
	if _, err := h.send.Next(); err != nil { // SCK‖1
		return nil, err
	}
	h.key = cryptobox.Precompute(h.tck, h.tsk.Secret)
	h.step = serverStepLogin
	return SealServerHello(ServerHello{SCK: h.sck, TSK: h.tsk.Public, CCK: h.cck}, h.sk.Secret, h.tck), nil
}

// ReadLogin opens the 144-byte login box and validates the login data: it
// must echo SCK and use the new vouch format (else ErrLegacyVouch, with the
// identity filled in). When LoginData.ExtensionsLen is not zero, that many
// bytes follow and go to ReadExtensions.
func (h *ServerHandshake) ReadLogin(b []byte) (LoginData, error) {
	if h.step != serverStepLogin {
		return LoginData{}, ErrHandshakeState
	}
	if len(b) != LoginLen {
		return LoginData{}, fmt.Errorf("%w: login of %d bytes, want %d", ErrLength, len(b), LoginLen)
	}
	nonce, err := h.recv.Next() // CCK‖1
	if err != nil {
		return LoginData{}, err
	}
	var buf [LoginDataLen]byte
	plain, err := h.key.Open(buf[:0], b, &nonce)
	if err != nil {
		h.step = serverStepDone
		return LoginData{}, fmt.Errorf("%w: login", ErrDecrypt)
	}
	// From here the client holds TCK.sec: Refuse can reach it.
	h.step = serverStepVouch
	ld, err := ParseLoginData(plain)
	if err != nil {
		return ld, err
	}
	if subtle.ConstantTimeCompare(ld.SCK[:], h.sck[:]) != 1 {
		return ld, fmt.Errorf("%w: login echoes another server cookie", ErrCookieMismatch)
	}
	h.login = ld
	if ld.ExtensionsLen > 0 {
		h.step = serverStepExtensions
	}
	return ld, nil
}

// ReadExtensions opens the extensions box announced by the login data.
func (h *ServerHandshake) ReadExtensions(b []byte) (Extensions, error) {
	if h.step != serverStepExtensions {
		return Extensions{}, ErrHandshakeState
	}
	if len(b) != h.login.ExtensionsLen {
		return Extensions{}, fmt.Errorf("%w: extensions box of %d bytes, announced %d", ErrLength, len(b), h.login.ExtensionsLen)
	}
	h.step = serverStepVouch
	nonce, err := h.recv.Next() // CCK‖2
	if err != nil {
		return Extensions{}, err
	}
	plain, err := h.key.Open(nil, b, &nonce)
	if err != nil {
		return Extensions{}, fmt.Errorf("%w: extensions", ErrDecrypt)
	}
	return ParseExtensions(plain)
}

// VerifyVouch checks the login's vouch against ck, the identity's public key
// as the directory publishes it. It fails with ErrVouch.
func (h *ServerHandshake) VerifyVouch(ck cryptobox.PublicKey) error {
	if h.step != serverStepVouch {
		return ErrHandshakeState
	}
	want, err := ServerVouch(h.sk.Secret, h.tsk.Secret, ck, h.sck, h.tck)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want[:], h.login.Vouch[:]) != 1 {
		h.step = serverStepDone
		return fmt.Errorf("csp: login of %s: %w", h.login.Identity, ErrVouch)
	}
	h.step = serverStepAccept
	return nil
}

// Accept returns the 32-byte login-ack and the established session. It is
// only allowed once VerifyVouch has succeeded.
func (h *ServerHandshake) Accept() ([]byte, *Session, error) {
	if h.step != serverStepAccept {
		return nil, nil, ErrHandshakeState
	}
	ack, err := h.loginAck()
	if err != nil {
		return nil, nil, err
	}
	h.step = serverStepDone
	return ack, newSession(h.key, h.send, h.recv), nil
}

// Refuse returns the login-ack followed by one close-error frame carrying ce:
// the way to tell a client that opened the login box why it may not stay
// (unknown or revoked identity, legacy vouch). The caller closes the
// connection after writing it. It is not offered after a bad vouch, whose
// sender proved nothing, nor before the login box opened.
func (h *ServerHandshake) Refuse(ce CloseError) ([]byte, error) {
	if h.step != serverStepExtensions && h.step != serverStepVouch && h.step != serverStepAccept {
		return nil, ErrHandshakeState
	}
	ack, err := h.loginAck()
	if err != nil {
		return nil, err
	}
	h.step = serverStepDone
	s := newSession(h.key, h.send, h.recv)
	return s.SealPayload(ack, nil, ce)
}

func (h *ServerHandshake) loginAck() ([]byte, error) {
	nonce, err := h.send.Next() // SCK‖2
	if err != nil {
		return nil, err
	}
	var zero [loginAckPlainLen]byte
	return h.key.Seal(make([]byte, 0, LoginAckLen), zero[:], &nonce), nil
}
