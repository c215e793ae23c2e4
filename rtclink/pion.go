package rtclink

import (
	"fmt"
	"log/slog"
	"net"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
)

// pionStack is the pion API of one peer connection and the single UDP socket
// that carries all of its ICE traffic (STYLE §9: an API built from a
// SettingEngine).
type pionStack struct {
	api  *webrtc.API
	mux  ice.UDPMux
	conn net.PacketConn
}

// newPionStack opens the ICE socket and builds the API:
//   - loopback candidates are gathered too (SetIncludeLoopbackCandidate), or
//     ICE never connects on a loopback-only machine; the other interfaces
//     stay, since a browser peer gathers no loopback candidates;
//   - one UDP socket with a large read buffer, shared through an ICE UDP
//     mux, so that loopback bursts are not dropped by the kernel;
//   - pion logs through slog, with credentials redacted;
//   - multicast DNS only when asked for;
//   - ICE keepalives and timeouts short enough to notice a vanished peer
//     within 10 s (DefaultICEFailedTimeout).
func newPionStack(cfg WebRTCConfig, log *slog.Logger) (*pionStack, error) {
	addr, err := net.ResolveUDPAddr("udp", cfg.ICEListenAddr)
	if err != nil {
		return nil, fmt.Errorf("%w: ICE listen address: %w", ErrConfig, err)
	}
	network, types := "udp4", []webrtc.NetworkType{webrtc.NetworkTypeUDP4}
	if addr.IP != nil && addr.IP.To4() == nil {
		network, types = "udp", []webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6}
	}
	conn, err := net.ListenUDP(network, addr)
	if err != nil {
		return nil, fmt.Errorf("%w: ICE socket: %w", ErrWebRTC, err)
	}
	if err := conn.SetReadBuffer(cfg.UDPReadBuffer); err != nil {
		log.Debug("ICE socket read buffer not set", "bytes", cfg.UDPReadBuffer, "err", err)
	}
	if err := conn.SetWriteBuffer(cfg.UDPReadBuffer); err != nil {
		log.Debug("ICE socket write buffer not set", "bytes", cfg.UDPReadBuffer, "err", err)
	}
	lf := pionLoggerFactory{log: log}
	// UDPMuxDefault warns about an unspecified listen address; listening on
	// every interface with one socket is what we want, so that warning is debug.
	mux := webrtc.NewICEUDPMux(pionLogger{log: log.With("pion", "ice-udpmux"), demoteWarn: true}, conn)
	se := webrtc.SettingEngine{LoggerFactory: lf}
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEUDPMux(mux)
	se.SetNetworkTypes(types)
	se.SetICETimeouts(cfg.ICEDisconnectedTimeout, cfg.ICEFailedTimeout, cfg.ICEKeepalive)
	if !cfg.MulticastDNS {
		se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	}
	return &pionStack{api: webrtc.NewAPI(webrtc.WithSettingEngine(se)), mux: mux, conn: conn}, nil
}

// close closes the mux and its socket (after the peer connection).
func (p *pionStack) close() {
	_ = p.mux.Close() // closes conn too
	_ = p.conn.Close()
}
