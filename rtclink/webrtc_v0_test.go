package rtclink

import (
	"bytes"
	"context"
	"testing"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// TestWebRTCLegacyV0: an initiator that offers only the legacy v0 task
// (with max_packet_size, as older Threema Web does) meets a responder that
// offers v1 then v0, as the Android app does: v0 is chosen, both chunk with
// the smaller packet size, and a message bigger than many chunks arrives
// intact. With v1 offered too, v1 wins.
func TestWebRTCLegacyV0(t *testing.T) {
	defer leakCheck(t)()
	ss := startSignaling(t)
	defer ss.stop()
	ctx, cancel := context.WithTimeout(context.Background(), webrtcTestTimeout)
	defer cancel()

	ini, res := ss.configs(t, WebRTCConfig{}, WebRTCConfig{})
	ini.Tasks = []Task{NewWebRTCTaskV0(WebRTCConfig{MaxChunkSize: 16384})}
	res.Tasks = []Task{NewWebRTCTask(WebRTCConfig{}), NewWebRTCTaskV0(WebRTCConfig{})}
	a, b, err := pairChannel(ctx, ini, res)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.s.Close(saltyrtc.CloseNormal); _ = b.s.Close(saltyrtc.CloseNormal) }()
	if a.s.Task().Name() != WebRTCTaskNameV0 || b.s.Task().Name() != WebRTCTaskNameV0 {
		t.Fatalf("tasks %s and %s", a.s.Task().Name(), b.s.Task().Name())
	}
	if a.t.packetSize != 16384 || b.t.packetSize != 16384 {
		t.Fatalf("packet sizes %d and %d, want 16384", a.t.packetSize, b.t.packetSize)
	}
	msg := bytes.Repeat([]byte("v0 chunks "), 10000) // 100 kB: seven chunks
	if err := b.ch.Send(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if got, err := a.ch.Receive(ctx); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("received %d bytes: %v", len(got), err)
	}

	ini2, res2 := ss.configs(t, WebRTCConfig{}, WebRTCConfig{})
	ini2.Tasks = []Task{NewWebRTCTask(WebRTCConfig{}), NewWebRTCTaskV0(WebRTCConfig{})}
	res2.Tasks = []Task{NewWebRTCTask(WebRTCConfig{}), NewWebRTCTaskV0(WebRTCConfig{})}
	c, d, err := pairChannel(ctx, ini2, res2)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.s.Close(saltyrtc.CloseNormal); _ = d.s.Close(saltyrtc.CloseNormal) }()
	if c.s.Task().Name() != WebRTCTaskName {
		t.Fatalf("with both offered: %s", c.s.Task().Name())
	}
}
