package rtclink

import (
	"errors"
	"testing"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

func TestParseTaskData(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		data     map[string]any
		ours     bool
		exclude  []uint16
		handover bool
		fail     bool
	}{
		"TWJS v1":          {map[string]any{"exclude": []any{}, "handover": true}, true, []uint16{}, true, false},
		"peer refuses":     {map[string]any{"exclude": []any{}, "handover": false}, true, []uint16{}, false, false},
		"we refuse":        {map[string]any{"exclude": []any{}, "handover": true}, false, []uint16{}, false, false},
		"handover absent":  {map[string]any{"exclude": []any{uint8(0), int64(7)}}, true, []uint16{0, 7}, true, false},
		"v0 packet size":   {map[string]any{"exclude": []any{}, "max_packet_size": uint16(16384)}, true, []uint16{}, true, false},
		"no exclude":       {map[string]any{"handover": true}, true, nil, false, true},
		"exclude too big":  {map[string]any{"exclude": []any{uint32(65535)}}, true, nil, false, true},
		"exclude negative": {map[string]any{"exclude": []any{int8(-1)}}, true, nil, false, true},
		"handover string":  {map[string]any{"exclude": []any{}, "handover": "yes"}, true, nil, false, true},
		"nil data":         {nil, true, nil, false, true},
	} {
		ex, ho, err := parseTaskData(tc.data, tc.ours)
		if tc.fail {
			if !errors.Is(err, ErrTaskData) {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err != nil || ho != tc.handover || len(ex) != len(tc.exclude) {
			t.Errorf("%s: %v %v %v", name, ex, ho, err)
		}
	}
}

func TestSignalingChannelID(t *testing.T) {
	t.Parallel()
	if id, ok := signalingChannelID(nil, nil); !ok || id != 0 {
		t.Fatalf("%d %v", id, ok)
	}
	if id, ok := signalingChannelID([]uint16{0, 2}, []uint16{1}); !ok || id != 3 {
		t.Fatalf("%d %v", id, ok)
	}
}

func TestCandidatesRoundTrip(t *testing.T) {
	t.Parallel()
	mid, idx := "0", uint16(0)
	in := []webrtc.ICECandidateInit{
		{Candidate: "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", SDPMid: &mid, SDPMLineIndex: &idx},
		{Candidate: "candidate:2 1 udp 2130706431 10.0.0.1 5000 typ host"},
	}
	m := candidatesMessage(in)
	b, err := saltyrtc.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := saltyrtc.Decode(b, webrtcMessageTypes()...)
	if err != nil {
		t.Fatal(err)
	}
	tm := dec.(saltyrtc.TaskMessage)
	// An end-of-candidates Nil entry is skipped.
	tm.Fields[typeCandidates] = append(tm.Fields[typeCandidates].([]any), nil)
	out, err := parseCandidates(tm)
	if err != nil || len(out) != 2 {
		t.Fatalf("%v %v", out, err)
	}
	if out[0].Candidate != in[0].Candidate || *out[0].SDPMid != "0" || *out[0].SDPMLineIndex != 0 ||
		out[1].SDPMid != nil || out[1].SDPMLineIndex != nil {
		t.Fatalf("%+v", out)
	}
	for name, f := range map[string]map[string]any{
		"empty":         {typeCandidates: []any{}},
		"not a list":    {typeCandidates: "x"},
		"no candidate":  {typeCandidates: []any{map[string]any{"sdpMid": "0"}}},
		"bad sdpMid":    {typeCandidates: []any{map[string]any{"candidate": "c", "sdpMid": 5}}},
		"bad lineIndex": {typeCandidates: []any{map[string]any{"candidate": "c", "sdpMLineIndex": "0"}}},
	} {
		if _, err := parseCandidates(saltyrtc.TaskMessage{Type: typeCandidates, Fields: f}); !errors.Is(err, saltyrtc.ErrMessage) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDescriptionMessages(t *testing.T) {
	t.Parallel()
	m := descriptionMessage(typeOffer, webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: "v=0\r\n"})
	sd, err := parseDescription(m, webrtc.SDPTypeOffer)
	if err != nil || sd.SDP != "v=0\r\n" {
		t.Fatalf("%v %v", sd, err)
	}
	if _, err := parseDescription(m, webrtc.SDPTypeAnswer); !errors.Is(err, saltyrtc.ErrMessage) {
		t.Fatalf("offer as answer: %v", err)
	}
	if _, err := parseDescription(saltyrtc.TaskMessage{Type: typeAnswer, Fields: map[string]any{typeAnswer: map[string]any{"type": "answer"}}}, webrtc.SDPTypeAnswer); !errors.Is(err, saltyrtc.ErrMessage) {
		t.Fatalf("no sdp: %v", err)
	}
}

func TestPeerMaxMessageSize(t *testing.T) {
	t.Parallel()
	sd := func(s string) *webrtc.SessionDescription { return &webrtc.SessionDescription{SDP: s} }
	for name, tc := range map[string]struct {
		sd   *webrtc.SessionDescription
		want int
	}{
		"none":      {nil, DefaultPeerMaxMessageSize},
		"absent":    {sd("v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"), DefaultPeerMaxMessageSize},
		"chrome":    {sd("v=0\r\na=max-message-size:262144\r\n"), 262144},
		"firefox":   {sd("v=0\r\na=max-message-size:1073741823\r\n"), DefaultMaxChunkSize},
		"small":     {sd("a=max-message-size:65536\n"), 65536},
		"any size":  {sd("a=max-message-size:0\r\n"), DefaultMaxChunkSize},
		"malformed": {sd("a=max-message-size:lots\r\n"), DefaultPeerMaxMessageSize},
	} {
		if got := chunkSizeFor(DefaultMaxChunkSize, tc.sd); got != tc.want {
			t.Errorf("%s: %d, want %d", name, got, tc.want)
		}
	}
}

func TestRedactPion(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"Registered 127.0.0.1 for tRkTJeCQLGmMRMlX",
		"a=ice-pwd:secret",
		"remote ufrag abc",
		"STUN username mismatch",
	} {
		if got := redactPion(msg); got == msg {
			t.Errorf("not redacted: %q", msg)
		}
	}
	if got := redactPion("Setting new connection state: Connected"); got != "Setting new connection state: Connected" {
		t.Errorf("redacted %q", got)
	}
}
