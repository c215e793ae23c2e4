package rtclink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

// WebRTCTask is the WebRTC task v1 (§1.8) over pion: it exchanges offer,
// answer and trickled candidates through the SaltyRTC session, hands the
// signalling over to a negotiated data channel (then the WebSocket is closed
// with 3003), and opens or accepts secure data channels.
//
// Use one task per Dial: put it in Config.Tasks, then, once Dial returned,
// OpenChannel (the initiator, the desktop) or AcceptChannel (the responder,
// the phone) with the same label (the app uses "THREEMA"). Session.Close
// closes the peer connection and waits for the task's goroutine.
type WebRTCTask struct {
	cfg WebRTCConfig
	log *slog.Logger
	v0  bool // the legacy v0 task (WebRTCTaskNameV0)

	// packetSize is the v0 chunk size both peers agreed on (set by Start).
	packetSize int

	// Set by Start, read-only afterwards.
	link     *TaskLink
	role     saltyrtc.Role
	shared   cryptobox.SharedKey
	handover bool
	stack    *pionStack
	pc       *webrtc.PeerConnection
	events   chan func() error
	started  bool

	// Owned by the loop goroutine.
	offered        bool
	remoteSet      bool
	remoteCands    []webrtc.ICECandidateInit
	localCands     []webrtc.ICECandidateInit
	candTimer      *time.Timer
	peerHandedOver bool     // the loop's view: queued channel input was flushed
	queued         [][]byte // signalling from the channel before the peer's handover

	mu            sync.Mutex
	localHandover bool
	peerHandover  bool
	sig           *SecureChannel
	channels      []*SecureChannel
	pending       map[string][]*SecureChannel
	npending      int
	pendingSignal chan struct{} // closed and replaced when a remote channel arrives

	handoverOnce  sync.Once
	handedOver    chan struct{}
	connectedOnce sync.Once
	connected     chan struct{}
	pcClosedOnce  sync.Once
	pcClosed      chan struct{} // the peer connection reached the closed state
	closing       atomic.Bool   // a local Close is under way: state changes are expected
	closeOnce     sync.Once
	done          chan struct{}
	err           error // set before done is closed
	loopDone      chan struct{}
}

// NewWebRTCTask returns a WebRTC task for one session.
func NewWebRTCTask(cfg WebRTCConfig) *WebRTCTask {
	c := cfg.withDefaults()
	return &WebRTCTask{
		cfg: c, log: c.Logger.With("component", "rtclink", "task", "webrtc"),
		events: make(chan func() error, 64), pending: make(map[string][]*SecureChannel),
		pendingSignal: make(chan struct{}), handedOver: make(chan struct{}), connected: make(chan struct{}),
		pcClosed: make(chan struct{}),
		done:     make(chan struct{}), loopDone: make(chan struct{}),
	}
}

// NewWebRTCTaskV0 returns the legacy v0 WebRTC task for one session: offer
// it after NewWebRTCTask, as Threema Web and the Android app do, so that a
// peer that knows only v0 can still connect. Its chunk size is the smaller
// of cfg.MaxChunkSize and the peer's max_packet_size.
func NewWebRTCTaskV0(cfg WebRTCConfig) *WebRTCTask {
	t := NewWebRTCTask(cfg)
	t.v0 = true
	t.log = t.log.With("version", "v0")
	return t
}

// WebRTC returns the WebRTC task of a session whose peer handshake chose it.
func WebRTC(s *Session) (*WebRTCTask, error) {
	if t, ok := s.Task().(*WebRTCTask); ok {
		return t, nil
	}
	return nil, ErrNotWebRTC
}

// Name implements Task.
func (t *WebRTCTask) Name() string {
	if t.v0 {
		return WebRTCTaskNameV0
	}
	return WebRTCTaskName
}

// Data implements Task: exclude and handover (§1.8), and for v0 our
// max_packet_size (v1 sends none).
func (t *WebRTCTask) Data() map[string]any {
	d := taskData(t.cfg.Exclude, !t.cfg.NoHandover)
	if t.v0 {
		d[fieldMaxPacketSize] = t.cfg.MaxChunkSize
	}
	return d
}

// MessageTypes implements Task.
func (*WebRTCTask) MessageTypes() []string { return webrtcMessageTypes() }

// HandedOver is closed once both peers sent `handover` and the WebSocket was
// closed with 3003 (never, without handover).
func (t *WebRTCTask) HandedOver() <-chan struct{} { return t.handedOver }

// Connected is closed once the peer connection is connected (ICE and DTLS).
func (t *WebRTCTask) Connected() <-chan struct{} { return t.connected }

// Done is closed when the task ended (the session ended).
func (t *WebRTCTask) Done() <-chan struct{} { return t.done }

// Start implements Task: it validates the peer's task data, creates the peer
// connection and, with handover, the negotiated signalling channel, and starts
// the task's loop. The initiator sends the offer.
func (t *WebRTCTask) Start(link *TaskLink, peerData map[string]any) error {
	exclude, handover, err := parseTaskData(peerData, !t.cfg.NoHandover)
	if err != nil {
		return fmt.Errorf("%w: %w", err, saltyrtc.ErrProtocol)
	}
	if t.v0 {
		if t.packetSize, err = parseMaxPacketSize(peerData, t.cfg.MaxChunkSize); err != nil {
			return fmt.Errorf("%w: %w", err, saltyrtc.ErrProtocol)
		}
	}
	ps, err := link.PeerSession()
	if err != nil {
		return fmt.Errorf("rtclink: webrtc: %w", err)
	}
	t.link, t.role, t.shared, t.handover = link, link.s.cfg.Role, ps.Shared, handover
	t.log = t.log.With("role", t.role.String())
	stack, err := newPionStack(t.cfg, t.log)
	if err != nil {
		return err
	}
	pc, err := stack.api.NewPeerConnection(webrtc.Configuration{ICEServers: t.cfg.ICEServers})
	if err != nil {
		stack.close()
		return fmt.Errorf("%w: %w", ErrWebRTC, err)
	}
	t.stack, t.pc = stack, pc
	t.installHandlers()
	if handover {
		if err := t.createSignalingChannel(exclude); err != nil {
			_ = pc.Close()
			stack.close()
			return err
		}
	}
	t.started = true
	go t.run()
	if t.role == saltyrtc.RoleInitiator && handover {
		return t.post(t.negotiate)
	}
	return nil
}

// createSignalingChannel creates the negotiated, ordered channel with the
// lowest id neither side excluded, label saltyrtc-signaling and the task name
// as protocol, as TWJS does (§1.8 handover step 1).
func (t *WebRTCTask) createSignalingChannel(peerExclude []uint16) error {
	id, ok := signalingChannelID(t.cfg.Exclude, peerExclude)
	if !ok {
		return fmt.Errorf("%w: no free data channel id: %w", ErrTaskData, saltyrtc.ErrProtocol)
	}
	ordered, negotiated, protocol := true, true, t.Name()
	dc, err := t.pc.CreateDataChannel(signalingLabel, &webrtc.DataChannelInit{
		Ordered: &ordered, Negotiated: &negotiated, ID: &id, Protocol: &protocol,
	})
	if err != nil {
		return fmt.Errorf("%w: signalling channel: %w", ErrWebRTC, err)
	}
	sig, err := newSecureChannel(dc, t.channelParams(t.onSignalingMessage, t.onSignalingFail, t.onSignalingOpen))
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.sig = sig
	t.mu.Unlock()
	return nil
}

func (t *WebRTCTask) channelParams(onMessage func([]byte), onFail func(error), onOpen func()) channelParams {
	return channelParams{
		shared: t.shared, cfg: t.cfg, log: t.log, onMessage: onMessage, onFail: onFail, onOpen: onOpen,
		chunkSize: func() int {
			if t.v0 {
				return t.packetSize // both peers chunk with the size they agreed on
			}
			return chunkSizeFor(t.cfg.MaxChunkSize, t.pc.RemoteDescription())
		},
	}
}

// installHandlers wires the peer connection's callbacks; each only posts to
// the loop or signals, so no pion goroutine blocks for long.
func (t *WebRTCTask) installHandlers() {
	t.pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			return // gathering complete
		}
		init := c.ToJSON()
		_ = t.post(func() error { return t.addLocalCandidate(init) })
	})
	t.pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		t.log.Debug("peer connection state", "state", s.String())
		switch s {
		case webrtc.PeerConnectionStateConnected:
			t.connectedOnce.Do(func() { close(t.connected) })
		case webrtc.PeerConnectionStateFailed:
			t.failFromCallback(fmt.Errorf("%w: connection failed: %w", ErrWebRTC, ErrPeerGone))
		case webrtc.PeerConnectionStateClosed:
			t.pcClosedOnce.Do(func() { close(t.pcClosed) })
			t.failFromCallback(fmt.Errorf("%w: the peer connection closed", ErrPeerGone))
		default:
		}
	})
	t.pc.OnDataChannel(t.addRemoteChannel)
}

// failFromCallback ends the session unless the task is already ending.
func (t *WebRTCTask) failFromCallback(err error) {
	if t.closing.Load() {
		return
	}
	select {
	case <-t.done:
	default:
		t.link.Fail(err)
	}
}

// HandleMessage implements Task: called on the session's reader goroutine for
// each task message on the WebSocket. `handover` is handled here so that the
// WebSocket closes before the server's `disconnected` about the peer is read.
func (t *WebRTCTask) HandleMessage(m saltyrtc.TaskMessage) error {
	if m.Type != typeHandover {
		return t.post(func() error { return t.handleTaskMessage(m) })
	}
	if !t.handover {
		return fmt.Errorf("%w: handover was not negotiated", saltyrtc.ErrUnexpectedMessage)
	}
	t.mu.Lock()
	again, both := t.peerHandover, t.localHandover
	t.peerHandover = true
	t.mu.Unlock()
	if again {
		t.log.Warn("handover received twice")
		return nil
	}
	if both {
		t.completeHandover()
	}
	return t.post(t.flushQueued)
}

// Close implements Task: it only signals; the loop closes the channels and
// the peer connection (it may be called from pion callbacks and the loop).
func (t *WebRTCTask) Close(err error) {
	t.closeOnce.Do(func() {
		t.err = err
		close(t.done)
	})
}

// wait blocks until the loop finished closing the peer connection.
func (t *WebRTCTask) wait() {
	if t.started {
		<-t.loopDone
	}
}

// beginClose marks a local close under way (the peer connection's state
// changes are expected from now on) and, after a handover, sends `close`
// over the signalling channel (§1.6, §1.8). It then waits, at most
// closeFlushWait, for the peer to react by closing the signalling channel or
// the connection: pion aborts SCTP on close, which would drop a message not
// yet delivered, and the peer would see its connection vanish instead.
func (t *WebRTCTask) beginClose(code saltyrtc.CloseCode, handedOver bool) {
	t.closing.Store(true)
	t.mu.Lock()
	sig := t.sig
	t.mu.Unlock()
	if sig == nil || !handedOver {
		return
	}
	b, err := saltyrtc.Encode(saltyrtc.Close{Reason: code})
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeFlushWait)
	defer cancel()
	if err := sig.Send(ctx, b); err != nil {
		return
	}
	select {
	case <-sig.done:
	case <-t.pcClosed:
	case <-ctx.Done():
	}
}

func (t *WebRTCTask) isDone() bool {
	select {
	case <-t.done:
		return true
	default:
		return false
	}
}

func (t *WebRTCTask) alive() error {
	if !t.started {
		return fmt.Errorf("%w: the task has not started", ErrNotWebRTC)
	}
	if t.isDone() {
		return t.closedErr()
	}
	return nil
}

// closedErr is the error of channels and calls after the task ended.
func (t *WebRTCTask) closedErr() error {
	if t.err == nil || errors.Is(t.err, ErrClosed) {
		return fmt.Errorf("%w: session closed: %w", ErrChannelClosed, ErrClosed)
	}
	return fmt.Errorf("%w: %w", ErrChannelClosed, t.err)
}

// completeHandover closes the WebSocket with 3003 once both peers sent
// `handover` (§1.8 handover step 3).
func (t *WebRTCTask) completeHandover() {
	t.handoverOnce.Do(func() {
		t.link.Handover()
		close(t.handedOver)
		t.log.Info("signalling handed over to the data channel")
	})
}
