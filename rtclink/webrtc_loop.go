package rtclink

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// run is the task's only goroutine: it applies signalling messages (from the
// WebSocket or the signalling channel) and pion events in order, and closes
// everything when the session ends.
func (t *WebRTCTask) run() {
	defer close(t.loopDone)
	defer t.teardown()
	for {
		var candC <-chan time.Time
		if t.candTimer != nil {
			candC = t.candTimer.C
		}
		select {
		case fn := <-t.events:
			if err := fn(); err != nil {
				t.link.Fail(err)
			}
		case <-candC:
			t.candTimer = nil
			if err := t.flushLocalCandidates(); err != nil {
				t.link.Fail(err)
			}
		case <-t.done:
			return
		}
	}
}

// post hands fn to the loop; it fails once the task ended.
func (t *WebRTCTask) post(fn func() error) error {
	select {
	case t.events <- fn:
		return nil
	case <-t.done:
		return t.closedErr()
	}
}

// teardown closes every channel, then the peer connection (waiting for
// pion's goroutines), then the ICE socket.
func (t *WebRTCTask) teardown() {
	err := t.closedErr()
	t.mu.Lock()
	chans := append(slices.Clone(t.channels), t.sig)
	t.mu.Unlock()
	for _, c := range chans {
		if c != nil {
			c.finish(err)
		}
	}
	if t.candTimer != nil {
		t.candTimer.Stop()
	}
	if cerr := t.pc.GracefulClose(); cerr != nil {
		t.log.Debug("peer connection close", "err", cerr)
	}
	t.stack.close()
	t.log.Debug("webrtc task closed")
}

// negotiate creates and sends the offer (initiator, once).
func (t *WebRTCTask) negotiate() error {
	if t.offered {
		return nil
	}
	offer, err := t.pc.CreateOffer(nil)
	if err != nil {
		return fmt.Errorf("%w: create offer: %w", ErrWebRTC, err)
	}
	if err := t.pc.SetLocalDescription(offer); err != nil {
		return fmt.Errorf("%w: set local offer: %w", ErrWebRTC, err)
	}
	t.offered = true
	t.log.Debug("sending offer", "bytes", len(offer.SDP))
	return t.sendSignaling(descriptionMessage(typeOffer, offer))
}

// handleTaskMessage applies offer, answer or candidates (§1.8).
func (t *WebRTCTask) handleTaskMessage(m saltyrtc.TaskMessage) error {
	switch m.Type {
	case typeOffer:
		// A later offer renegotiates (§1.8: "At any time, the initiator MAY send an offer").
		if t.role != saltyrtc.RoleResponder {
			return fmt.Errorf("%w: offer", saltyrtc.ErrUnexpectedMessage)
		}
		sd, err := parseDescription(m, webrtc.SDPTypeOffer)
		if err != nil {
			return err
		}
		if err := t.setRemote(sd); err != nil {
			return err
		}
		answer, err := t.pc.CreateAnswer(nil)
		if err != nil {
			return fmt.Errorf("%w: create answer: %w", ErrWebRTC, err)
		}
		if err := t.pc.SetLocalDescription(answer); err != nil {
			return fmt.Errorf("%w: set local answer: %w", ErrWebRTC, err)
		}
		t.log.Debug("sending answer", "bytes", len(answer.SDP))
		if err := t.sendSignaling(descriptionMessage(typeAnswer, answer)); err != nil {
			return err
		}
		return t.flushLocalCandidates()
	case typeAnswer:
		if t.role != saltyrtc.RoleInitiator || t.pc.SignalingState() != webrtc.SignalingStateHaveLocalOffer {
			return fmt.Errorf("%w: answer", saltyrtc.ErrUnexpectedMessage)
		}
		sd, err := parseDescription(m, webrtc.SDPTypeAnswer)
		if err != nil {
			return err
		}
		if err := t.setRemote(sd); err != nil {
			return err
		}
		return t.flushLocalCandidates()
	case typeCandidates:
		cs, err := parseCandidates(m)
		if err != nil {
			return err
		}
		if !t.remoteSet {
			if len(t.remoteCands)+len(cs) > maxRemoteCandidates {
				return fmt.Errorf("%w: more than %d early candidates", saltyrtc.ErrProtocol, maxRemoteCandidates)
			}
			t.remoteCands = append(t.remoteCands, cs...)
			return nil
		}
		t.addRemoteCandidates(cs)
		return nil
	default:
		return fmt.Errorf("%w: %s", saltyrtc.ErrUnexpectedMessage, m.Type)
	}
}

// setRemote sets the remote description, then the candidates held for it.
func (t *WebRTCTask) setRemote(sd webrtc.SessionDescription) error {
	if err := t.pc.SetRemoteDescription(sd); err != nil {
		return fmt.Errorf("%w: set remote %s: %w", ErrWebRTC, sd.Type, err)
	}
	t.remoteSet = true
	t.addRemoteCandidates(t.remoteCands)
	t.remoteCands = nil
	return nil
}

// addRemoteCandidates adds candidates; one pion rejects is skipped, as a
// browser does (the candidate string is not logged).
func (t *WebRTCTask) addRemoteCandidates(cs []webrtc.ICECandidateInit) {
	for _, c := range cs {
		if err := t.pc.AddICECandidate(c); err != nil {
			t.log.Debug("remote candidate rejected", "bytes", len(c.Candidate), "err", err)
		}
	}
}

// addLocalCandidate collects a gathered candidate; they are sent bundled
// after candidateBundleDelay, and only once the remote description is set.
func (t *WebRTCTask) addLocalCandidate(c webrtc.ICECandidateInit) error {
	t.localCands = append(t.localCands, c)
	if t.remoteSet && t.candTimer == nil {
		t.candTimer = time.NewTimer(candidateBundleDelay)
	}
	return nil
}

// flushLocalCandidates sends the collected candidates in one message.
func (t *WebRTCTask) flushLocalCandidates() error {
	if len(t.localCands) == 0 || !t.remoteSet {
		return nil
	}
	if t.candTimer != nil {
		t.candTimer.Stop()
		t.candTimer = nil
	}
	for len(t.localCands) > 0 {
		n := min(len(t.localCands), maxCandidatesPerMessage)
		if err := t.sendSignaling(candidatesMessage(t.localCands[:n])); err != nil {
			return err
		}
		t.localCands = t.localCands[n:]
	}
	t.localCands = nil
	return nil
}

// sendSignaling sends a task message on the WebSocket, or on the signalling
// channel once we sent `handover` (§1.8 handover step 2).
func (t *WebRTCTask) sendSignaling(m saltyrtc.TaskMessage) error {
	t.mu.Lock()
	viaChannel, sig := t.localHandover, t.sig
	t.mu.Unlock()
	if !viaChannel {
		return t.link.Send(m)
	}
	b, err := saltyrtc.Encode(m)
	if err != nil {
		return fmt.Errorf("rtclink: %w", err)
	}
	return sig.Send(context.Background(), b)
}

// onSignalingOpen runs when the signalling channel opens (pion goroutine):
// the loop sends `handover` on the WebSocket.
func (t *WebRTCTask) onSignalingOpen() {
	_ = t.post(func() error {
		if err := t.link.Send(saltyrtc.TaskMessage{Type: typeHandover, Fields: map[string]any{}}); err != nil {
			return err
		}
		t.mu.Lock()
		t.localHandover = true
		both := t.peerHandover
		t.mu.Unlock()
		if both {
			t.completeHandover()
		}
		return nil
	})
}

// onSignalingMessage takes a decrypted message from the signalling channel
// (pion's read loop) to the task's loop.
func (t *WebRTCTask) onSignalingMessage(b []byte) {
	_ = t.post(func() error {
		if !t.peerHandedOver {
			if len(t.queued) >= maxQueuedSignaling {
				return fmt.Errorf("%w: signalling on the channel before handover", saltyrtc.ErrProtocol)
			}
			t.queued = append(t.queued, b)
			return nil
		}
		return t.handleChannelSignaling(b)
	})
}

// onSignalingFail ends the session when the signalling channel breaks.
func (t *WebRTCTask) onSignalingFail(err error) {
	t.failFromCallback(fmt.Errorf("rtclink: signalling channel: %w", err))
}

// flushQueued applies, in order, what arrived on the signalling channel
// before the peer's `handover` (§1.8 handover step 2).
func (t *WebRTCTask) flushQueued() error {
	t.peerHandedOver = true
	q := t.queued
	t.queued = nil
	for _, b := range q {
		if err := t.handleChannelSignaling(b); err != nil {
			return err
		}
	}
	return nil
}

// handleChannelSignaling decodes a message of the handed-over signalling
// channel: msgpack without the SaltyRTC nonce, boxed by the channel (CJS
// onSignalingPeerMessage).
func (t *WebRTCTask) handleChannelSignaling(b []byte) error {
	msg, err := saltyrtc.Decode(b, typeOffer, typeAnswer, typeCandidates)
	if err != nil {
		return err
	}
	switch m := msg.(type) {
	case saltyrtc.Close:
		t.log.Info("peer closed the session", "reason", uint16(m.Reason))
		t.link.Fail(fmt.Errorf("rtclink: peer closed (%s): %w", m.Reason, saltyrtc.ErrGoingAway))
		return nil
	case saltyrtc.Application:
		t.log.Debug("application message ignored")
		return nil
	case saltyrtc.TaskMessage:
		return t.handleTaskMessage(m)
	default:
		return fmt.Errorf("%w: %s on the signalling channel", saltyrtc.ErrUnexpectedMessage, msg.MessageType())
	}
}
