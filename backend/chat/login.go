package chat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/directory"
)

// Close-error texts of refused logins.
const (
	msgUnknownIdentity = "Unknown identity"
	msgRevokedIdentity = "Identity has been revoked"
	msgLegacyLogin     = "Legacy login (vouch box) is not supported; update the client"
	msgDirectoryDown   = "Identity directory unavailable, try again later"
	msgShuttingDown    = "Server is shutting down"
	msgTemporaryError  = "Temporary server error"
)

// session is what a successful login yields.
type session struct {
	id   csp.ID
	sess *csp.Session
	ext  csp.Extensions
}

// login runs the server side of the §3.2 handshake on nc, whose deadline the
// caller has set. A refused login (unknown or revoked identity, legacy
// vouch) is told why with a close-error before the error is returned; any
// other failure just ends the connection.
func (s *Server) login(ctx context.Context, nc net.Conn) (session, error) {
	hs, err := csp.NewServerHandshake(s.cfg.Rand, s.cfg.Key)
	if err != nil {
		return session{}, err
	}
	var hello [csp.ClientHelloLen]byte
	// The client-hello comes at once or never: a connection that sends
	// nothing is closed after HelloTimeout, not the whole HandshakeTimeout.
	_ = nc.SetReadDeadline(time.Now().Add(s.cfg.HelloTimeout))
	if _, err := io.ReadFull(nc, hello[:]); err != nil {
		return session{}, fmt.Errorf("chat: read client-hello: %w", err)
	}
	// The rest is bounded by the login's own deadline (a passed one fails
	// the next read at once, as the context's expiry would).
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetReadDeadline(dl)
	} else {
		_ = nc.SetReadDeadline(time.Time{})
	}
	sh, err := hs.ReadClientHello(hello[:])
	if err != nil {
		return session{}, err
	}
	if _, err := nc.Write(sh); err != nil {
		return session{}, fmt.Errorf("chat: write server-hello: %w", err)
	}
	var lb [csp.LoginLen]byte
	if _, err := io.ReadFull(nc, lb[:]); err != nil {
		return session{}, fmt.Errorf("chat: read login: %w", err)
	}
	ld, err := hs.ReadLogin(lb[:])
	if errors.Is(err, csp.ErrLegacyVouch) {
		return session{}, s.refuse(nc, hs, csp.CloseError{Message: msgLegacyLogin}, err)
	}
	if err != nil {
		return session{}, err
	}
	var ext csp.Extensions
	if ld.ExtensionsLen > 0 {
		eb := make([]byte, ld.ExtensionsLen)
		if _, err := io.ReadFull(nc, eb); err != nil {
			return session{}, fmt.Errorf("chat: read extensions: %w", err)
		}
		if ext, err = hs.ReadExtensions(eb); err != nil {
			return session{}, err
		}
	}
	ident, err := s.cfg.Directory.LookupIdentity(ctx, ld.Identity.String())
	switch {
	case errors.Is(err, directory.ErrNotFound):
		return session{}, s.refuse(nc, hs, csp.CloseError{Message: msgUnknownIdentity},
			fmt.Errorf("chat: login of %s: %w", ld.Identity, ErrNotFound))
	case err != nil:
		return session{}, s.refuse(nc, hs, csp.CloseError{CanReconnect: true, Message: msgDirectoryDown},
			fmt.Errorf("chat: login of %s: directory: %w", ld.Identity, err))
	}
	if err := hs.VerifyVouch(ident.PublicKey); err != nil {
		return session{}, err
	}
	if ident.State == directory.StateInvalid {
		return session{}, s.refuse(nc, hs, csp.CloseError{Message: msgRevokedIdentity},
			fmt.Errorf("chat: login of %s: identity revoked", ld.Identity))
	}
	ack, sess, err := hs.Accept()
	if err != nil {
		return session{}, err
	}
	if _, err := nc.Write(ack); err != nil {
		return session{}, fmt.Errorf("chat: write login-ack: %w", err)
	}
	return session{id: ld.Identity, sess: sess, ext: ext}, nil
}

// refuse writes login-ack and a close-error, then returns cause.
func (s *Server) refuse(nc net.Conn, hs *csp.ServerHandshake, ce csp.CloseError, cause error) error {
	out, err := hs.Refuse(ce)
	if err != nil {
		return errors.Join(cause, err)
	}
	if _, err := nc.Write(out); err != nil {
		return errors.Join(cause, fmt.Errorf("chat: write close-error: %w", err))
	}
	return cause
}
