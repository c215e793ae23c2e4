package rtclink

import (
	"context"
	"fmt"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// OpenChannel creates a secure data channel with label (ordered, reliable,
// not negotiated: the peer accepts it with AcceptChannel) and waits until it
// is open.
func (t *WebRTCTask) OpenChannel(ctx context.Context, label string) (*SecureChannel, error) {
	if label == "" || label == signalingLabel {
		return nil, fmt.Errorf("%w: %q", ErrChannelLabel, label)
	}
	if err := t.alive(); err != nil {
		return nil, err
	}
	ordered := true
	dc, err := t.pc.CreateDataChannel(label, &webrtc.DataChannelInit{Ordered: &ordered})
	if err != nil {
		return nil, fmt.Errorf("%w: create channel: %w", ErrWebRTC, err)
	}
	c, err := newSecureChannel(dc, t.channelParams(nil, nil, nil))
	if err != nil {
		return nil, err
	}
	if err := t.track(c); err != nil {
		return nil, err
	}
	if t.role == saltyrtc.RoleInitiator && !t.handover {
		if err := t.post(t.negotiate); err != nil {
			return nil, err
		}
	}
	return c, t.waitChannel(ctx, c)
}

// AcceptChannel waits for the peer to open a channel with label and returns
// it once open. Channels the peer opens before AcceptChannel is called wait
// (at most 16); the oldest with the label is returned first.
func (t *WebRTCTask) AcceptChannel(ctx context.Context, label string) (*SecureChannel, error) {
	for {
		t.mu.Lock()
		if q := t.pending[label]; len(q) > 0 {
			c := q[0]
			t.pending[label] = q[1:]
			t.npending--
			t.mu.Unlock()
			return c, t.waitChannel(ctx, c)
		}
		signal := t.pendingSignal
		t.mu.Unlock()
		select {
		case <-signal:
		case <-ctx.Done():
			return nil, fmt.Errorf("rtclink: accept %q: %w", label, ctx.Err())
		case <-t.done:
			return nil, t.closedErr()
		}
	}
}

// waitChannel waits until c is open, closing it on failure.
func (t *WebRTCTask) waitChannel(ctx context.Context, c *SecureChannel) error {
	select {
	case <-c.opened:
		return nil
	case <-c.done:
		return c.Err()
	case <-t.done:
		_ = c.Close()
		return t.closedErr()
	case <-ctx.Done():
		_ = c.Close()
		return fmt.Errorf("rtclink: open %q: %w", c.label, ctx.Err())
	}
}

// addRemoteChannel wraps a channel the peer opened (pion callback).
func (t *WebRTCTask) addRemoteChannel(dc *webrtc.DataChannel) {
	c, err := newSecureChannel(dc, t.channelParams(nil, nil, nil))
	if err != nil {
		_ = dc.Close()
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.npending >= maxPendingChannels || t.isDone() {
		t.log.Warn("remote data channel refused", "err", ErrTooManyChannels)
		c.finish(ErrTooManyChannels)
		return
	}
	t.channels = append(t.channels, c)
	t.pending[c.label] = append(t.pending[c.label], c)
	t.npending++
	close(t.pendingSignal)
	t.pendingSignal = make(chan struct{})
}

// track registers a channel to be closed with the task.
func (t *WebRTCTask) track(c *SecureChannel) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.isDone() {
		c.finish(t.closedErr())
		return t.closedErr()
	}
	t.channels = append(t.channels, c)
	return nil
}
