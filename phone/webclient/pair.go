package webclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/qr"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

// channelLabel is the app channel's label (§2.1).
const channelLabel = "THREEMA"

// Pair pairs with the desktop that shows qrText: it checks that the code
// names the phone's signaling server (one of its nodes), connects there as
// the SaltyRTC responder with the WebRTC task, accepts the THREEMA channel,
// stores the session and makes it the active one. ctx bounds the connection
// set-up only.
func (s *Server) Pair(ctx context.Context, qrText string) (*Session, error) {
	pl, err := qr.Decode(qrText)
	if err != nil {
		return nil, fmt.Errorf("webclient: pair: %w", err)
	}
	base, err := s.baseConfig(pl)
	if err != nil {
		return nil, fmt.Errorf("webclient: pair: %w", err)
	}
	key, err := cryptobox.GenerateKeyPair(s.cfg.Rand)
	if err != nil {
		return nil, fmt.Errorf("webclient: pair: %w", err)
	}
	id, err := s.newSessionID()
	if err != nil {
		return nil, err
	}
	tok := pl.AuthToken
	base.PermanentKey, base.InitiatorKey, base.AuthToken = key, pl.InitiatorKey, &tok
	now := s.cfg.Now()
	d := store.DesktopSession{ID: id, InitiatorKey: pl.InitiatorKey, Key: key, Permanent: pl.Permanent,
		Label: "desktop", CreatedAt: now, LastSeen: now}
	sess, err := s.connect(ctx, base, d)
	if err != nil {
		return nil, fmt.Errorf("webclient: pair: %w", err)
	}
	if err := s.p.Store().PutDesktopSession(ctx, d); err != nil {
		sess.closeLink()
		return nil, fmt.Errorf("webclient: pair: %w", err)
	}
	s.mu.Lock()
	clear(s.held) // a new session: KeepConnected may come back to any
	s.mu.Unlock()
	if err := s.activate(sess, true); err != nil {
		return nil, fmt.Errorf("webclient: pair: %w", err)
	}
	s.log.Info("desktop paired", "session", id, "permanent", pl.Permanent)
	return sess, nil
}

// Reconnect reconnects a stored permanent session in trusted-key mode (no
// token, §1.6): the desktop must be waiting as initiator with its permanent
// key, or come within ctx (the responder waits at the signaling server). It
// replaces an active session. ctx bounds the connection set-up only.
func (s *Server) Reconnect(ctx context.Context, id string) (*Session, error) {
	sess, err := s.reconnect(ctx, id, true)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.held, id) // asked for explicitly: KeepConnected may come back
	s.mu.Unlock()
	return sess, nil
}

// reconnect is Reconnect; without replace it refuses (errBusy) when another
// session became active meanwhile.
func (s *Server) reconnect(ctx context.Context, id string, replace bool) (*Session, error) {
	d, err := s.p.Store().DesktopSession(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("webclient: reconnect: %w", ErrSessionNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("webclient: reconnect: %w", err)
	}
	if !d.Permanent {
		return nil, fmt.Errorf("webclient: reconnect: %w", ErrNotPermanent)
	}
	base, err := s.baseConfig(qr.Payload{InitiatorKey: d.InitiatorKey})
	if err != nil {
		return nil, fmt.Errorf("webclient: reconnect: %w", err)
	}
	base.PermanentKey, base.InitiatorKey, base.TrustedPeerKey = d.Key, d.InitiatorKey, d.InitiatorKey
	sess, err := s.connect(ctx, base, d)
	if err != nil {
		return nil, fmt.Errorf("webclient: reconnect: %w", err)
	}
	if err := s.p.Store().TouchDesktopSession(ctx, id, s.cfg.Now()); err != nil {
		sess.closeLink()
		return nil, fmt.Errorf("webclient: reconnect: %w", err)
	}
	if err := s.activate(sess, replace); err != nil {
		return nil, fmt.Errorf("webclient: reconnect: %w", err)
	}
	s.log.Info("desktop reconnected", "session", id)
	return sess, nil
}

// baseConfig is the responder config for the phone's signaling server.
// A pl with a host (a QR code) must name one of the backend's signaling
// nodes — its host and port and, when the code carries one, its server key —
// and the phone goes there. Without a host (a trusted-key reconnect) the
// phone goes to the node that pl.InitiatorKey selects
// (provisioning.NodeIndex), where that desktop waits.
func (s *Server) baseConfig(pl qr.Payload) (rtclink.Config, error) {
	sig := s.p.Signaling()
	if sig == nil {
		return rtclink.Config{}, ErrNoSignaling
	}
	node := sig.NodeFor(pl.InitiatorKey)
	if pl.Host != "" {
		var ok bool
		if node, ok = sig.Lookup(pl.Host, pl.Port); !ok {
			return rtclink.Config{}, ErrWrongServer
		}
	}
	skey, err := cryptobox.ParsePublicKeyHex(node.PublicKey)
	if err != nil {
		return rtclink.Config{}, fmt.Errorf("signaling key: %w", err)
	}
	if pl.HasServerKey() && !pl.ServerKey.Equal(skey) {
		return rtclink.Config{}, ErrWrongServer
	}
	return rtclink.Config{
		Role: saltyrtc.RoleResponder, ServerURL: node.URL, ServerKey: skey,
		TLSCertificateSHA256: node.TLSCertificateSHA256,
		Logger:               s.log, Rand: s.cfg.Rand, Now: s.cfg.Now,
	}, nil
}

// connect dials and opens the Web protocol's channel: by default with the
// WebRTC task — v1, and the legacy v0 after it, as the Android app offers
// them — accepting the THREEMA data channel; with Config.RelayedData with
// the Relayed Data task only, as the iOS app does.
func (s *Server) connect(ctx context.Context, cfg rtclink.Config, d store.DesktopSession) (*Session, error) {
	if s.cfg.RelayedData {
		cfg.Tasks = []rtclink.Task{rtclink.NewRelayedDataTask()}
	} else {
		wcfg := rtclink.WebRTCConfig{Logger: s.log, Rand: s.cfg.Rand, Now: s.cfg.Now}
		cfg.Tasks = []rtclink.Task{rtclink.NewWebRTCTask(wcfg), rtclink.NewWebRTCTaskV0(wcfg)}
	}
	rs, err := rtclink.Dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if ch, ok := rtclink.AppChannel(rs); ok {
		return newSession(s, d.ID, rs, ch), nil
	}
	t, err := rtclink.WebRTC(rs)
	if err != nil {
		_ = rs.Close(saltyrtc.CloseNormal)
		return nil, err
	}
	ch, err := t.AcceptChannel(ctx, channelLabel)
	if err != nil {
		_ = rs.Close(saltyrtc.CloseNormal)
		return nil, err
	}
	return newSession(s, d.ID, rs, ch), nil
}
