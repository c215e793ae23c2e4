package rtclink

import (
	"crypto/rand"
	"io"
	"log/slog"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/chunking"
)

// WebRTCTaskName is the WebRTC task v1 (§1.8; TWJS `${version}.webrtc.tasks.saltyrtc.org`).
const WebRTCTaskName = "v1.webrtc.tasks.saltyrtc.org"

// WebRTCTaskNameV0 is the legacy WebRTC task v0, which Threema Web and the
// Android app still offer after v1 (§1.8). It differs from v1 only in its
// task data: max_packet_size, the chunk size both peers use.
const WebRTCTaskNameV0 = "v0.webrtc.tasks.saltyrtc.org"

// Defaults of WebRTCConfig and constants of the WebRTC task.
const (
	// DefaultMaxChunkSize is TWJS's default maximum chunk length, 256 KiB
	// (§1.8; Threema Web uses min(256 KiB, maxMessageSize), §2.1).
	DefaultMaxChunkSize = 262144
	// DefaultPeerMaxMessageSize is the chunk size limit assumed when the
	// peer's SDP has no a=max-message-size: a conservative 16 KiB, the value
	// every WebRTC stack accepts (META Task-WebRTC.md "Detecting the Maximum
	// Message Size").
	DefaultPeerMaxMessageSize = 16384
	// DefaultICEListenAddr is the one UDP socket all ICE traffic of a task uses:
	// every IPv4 interface, loopback included, on an ephemeral port.
	DefaultICEListenAddr = "0.0.0.0:0"
	// DefaultUDPReadBuffer is the ICE socket's kernel read buffer: 4 MiB, or
	// bursts on loopback overflow the default buffer and SCTP throughput collapses.
	DefaultUDPReadBuffer = 4 << 20
	// DefaultSendBufferHigh is the data channel buffered amount above which
	// Send waits (backpressure); it resumes below half of it.
	DefaultSendBufferHigh = 1 << 20
	// DefaultInbox is how many received messages of one secure channel may wait
	// for Receive before the channel stops reading (backpressure through SCTP).
	DefaultInbox = 16
	// DefaultICEKeepalive is how often ICE checks the selected pair with a
	// STUN binding request; every answer (any packet) shows the peer alive.
	// The real Threema clients have no application-level ping on the WebRTC
	// task (§2.3a), so this is how a vanished peer is noticed.
	DefaultICEKeepalive = time.Second
	// DefaultICEDisconnectedTimeout is the silence after which ICE reports
	// disconnected (it may still recover).
	DefaultICEDisconnectedTimeout = 3 * time.Second
	// DefaultICEFailedTimeout is the further silence after which ICE
	// reports failed and the session ends: a peer that vanished without a
	// word (killed, off the network) is noticed about 7 s after its last
	// packet, instead of pion's default 30 s.
	DefaultICEFailedTimeout = 4 * time.Second

	// signalingLabel is the handed-over signalling channel's label (TWJS transport.ts).
	signalingLabel = "saltyrtc-signaling"
	// candidateBundleDelay is how long local candidates are collected before one
	// `candidates` message is sent (§1.8 "Candidates should be bundled"; TWJS
	// CANDIDATE_BUFFERING_MS = 5).
	candidateBundleDelay = 5 * time.Millisecond
	// maxChannelID is the highest data channel id (§1.8 exclude: 0..65534).
	maxChannelID = 65534
	// maxPendingChannels bounds the remote data channels not yet accepted.
	maxPendingChannels = 16
	// maxQueuedSignaling bounds the signalling messages that arrive on the data
	// channel before the peer's `handover` arrives on the WebSocket (§1.8 step 2).
	maxQueuedSignaling = 64
	// maxRemoteCandidates bounds remote candidates held until the remote
	// description is set.
	maxRemoteCandidates = 256
	// closeFlushWait bounds how long Close waits, after a handover, for the
	// peer to react to `close` before the peer connection is closed.
	closeFlushWait = time.Second
)

// WebRTCConfig configures the WebRTC task of one session.
type WebRTCConfig struct {
	// ICEServers are the STUN/TURN servers; empty (the default) means host
	// candidates only, which is all loopback and LAN pairing need.
	ICEServers []webrtc.ICEServer
	// NoHandover keeps the signalling on the WebSocket instead of handing it
	// over to a data channel (task data `handover`: false, §1.8).
	NoHandover bool
	// Exclude are data channel ids the signalling channel must not use (§1.8).
	Exclude []uint16
	// MaxChunkSize bounds a chunk (header included); the chunk size is the
	// smaller of it and the peer's SCTP max message size. 0 = DefaultMaxChunkSize.
	MaxChunkSize int
	// Reassembly bounds the unchunker of each secure channel (zero fields =
	// chunking defaults: 64 MiB per message and in total, 64 messages).
	Reassembly chunking.Limits
	// SendBufferHigh is the buffered amount above which Send waits (0 = DefaultSendBufferHigh).
	SendBufferHigh int
	// Inbox is the number of received messages a channel holds for Receive (0 = DefaultInbox).
	Inbox int
	// ICEListenAddr is the address of the ICE UDP socket (empty = DefaultICEListenAddr).
	ICEListenAddr string
	// UDPReadBuffer is the ICE socket's read buffer in bytes (0 = DefaultUDPReadBuffer).
	UDPReadBuffer int
	// ICEKeepalive, ICEDisconnectedTimeout and ICEFailedTimeout tune how
	// fast a silent peer is noticed (0 = the defaults of the same names).
	ICEKeepalive, ICEDisconnectedTimeout, ICEFailedTimeout time.Duration
	// MulticastDNS lets ICE resolve the peer's .local candidates (browsers hide
	// host addresses that way). Off by default: it opens a multicast socket.
	MulticastDNS bool
	// Logger receives structured logs (pion's too, through a slog adapter);
	// nil discards them.
	Logger *slog.Logger
	// Rand is the randomness for data channel cookies and sequence numbers; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock of reassembly garbage collection; nil means time.Now.
	Now func() time.Time
}

func (c WebRTCConfig) withDefaults() WebRTCConfig {
	if c.MaxChunkSize <= chunking.UnreliableUnorderedHeaderSize {
		c.MaxChunkSize = DefaultMaxChunkSize
	}
	if c.SendBufferHigh <= 0 {
		c.SendBufferHigh = DefaultSendBufferHigh
	}
	if c.Inbox <= 0 {
		c.Inbox = DefaultInbox
	}
	if c.ICEListenAddr == "" {
		c.ICEListenAddr = DefaultICEListenAddr
	}
	if c.UDPReadBuffer <= 0 {
		c.UDPReadBuffer = DefaultUDPReadBuffer
	}
	if c.ICEKeepalive <= 0 {
		c.ICEKeepalive = DefaultICEKeepalive
	}
	if c.ICEDisconnectedTimeout <= 0 {
		c.ICEDisconnectedTimeout = DefaultICEDisconnectedTimeout
	}
	if c.ICEFailedTimeout <= 0 {
		c.ICEFailedTimeout = DefaultICEFailedTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
