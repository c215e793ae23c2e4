package rtclink

import (
	"fmt"
	"slices"

	"github.com/pion/webrtc/v4"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// Message types and fields of the WebRTC task (§1.8; TWJS task.ts).
const (
	typeOffer      = "offer"
	typeAnswer     = "answer"
	typeCandidates = "candidates"
	typeHandover   = "handover"

	fieldExclude  = "exclude"
	fieldHandover = "handover"
	fieldType     = "type"
	fieldSDP      = "sdp"
	// Candidate keys are camelCase on purpose (§1.8).
	fieldCandidate        = "candidate"
	fieldSDPMid           = "sdpMid"
	fieldSDPMLineIndex    = "sdpMLineIndex"
	fieldUsernameFragment = "usernameFragment"

	// maxCandidatesPerMessage bounds one received `candidates` message.
	maxCandidatesPerMessage = 64
)

// webrtcMessageTypes are the task's message types (TWJS getSupportedMessageTypes).
func webrtcMessageTypes() []string {
	return []string{typeOffer, typeAnswer, typeCandidates, typeHandover}
}

// taskData is the task data we send in `auth` (§1.8 v1: exclude, handover).
func taskData(exclude []uint16, handover bool) map[string]any {
	ex := make([]any, 0, len(exclude))
	for _, id := range exclude {
		ex = append(ex, id)
	}
	return map[string]any{fieldExclude: ex, fieldHandover: handover}
}

// fieldMaxPacketSize is the v0 task data's chunk size (§1.8).
const fieldMaxPacketSize = "max_packet_size"

// parseMaxPacketSize reads the peer's v0 max_packet_size and returns the
// chunk size both use: the smaller of ours and theirs, or ours when they
// send 0 (TWJS task.ts).
func parseMaxPacketSize(d map[string]any, ours int) (int, error) {
	n, ok := saltyrtc.AsUint(d[fieldMaxPacketSize])
	if !ok {
		return 0, fmt.Errorf("%w: max_packet_size is %T", ErrTaskData, d[fieldMaxPacketSize])
	}
	if n == 0 || n >= uint64(ours) {
		return ours, nil
	}
	return int(n), nil
}

// parseTaskData validates the peer's task data: `exclude` an array of ids
// 0..65534 (required), `handover` a bool (absent keeps ours, as TWJS does).
func parseTaskData(d map[string]any, handover bool) ([]uint16, bool, error) {
	raw, ok := d[fieldExclude].([]any)
	if !ok {
		return nil, false, fmt.Errorf("%w: exclude is %T", ErrTaskData, d[fieldExclude])
	}
	ex := make([]uint16, 0, len(raw))
	for _, v := range raw {
		n, ok := saltyrtc.AsUint(v)
		if !ok || n > maxChannelID {
			return nil, false, fmt.Errorf("%w: exclude holds %v", ErrTaskData, v)
		}
		ex = append(ex, uint16(n))
	}
	if v, present := d[fieldHandover]; present {
		b, ok := v.(bool)
		if !ok {
			return nil, false, fmt.Errorf("%w: handover is %T", ErrTaskData, v)
		}
		handover = handover && b
	}
	return ex, handover, nil
}

// signalingChannelID is the lowest id excluded by neither side (§1.8 handover step 1).
func signalingChannelID(ours, theirs []uint16) (uint16, bool) {
	for id := range uint16(maxChannelID + 1) {
		if !slices.Contains(ours, id) && !slices.Contains(theirs, id) {
			return id, true
		}
	}
	return 0, false
}

// descriptionMessage is an `offer` or `answer` {type, sdp} (§1.8).
func descriptionMessage(field string, sd webrtc.SessionDescription) saltyrtc.TaskMessage {
	return saltyrtc.TaskMessage{Type: field, Fields: map[string]any{
		field: map[string]any{fieldType: sd.Type.String(), fieldSDP: sd.SDP},
	}}
}

// parseDescription reads the description of an `offer` or `answer`.
func parseDescription(m saltyrtc.TaskMessage, want webrtc.SDPType) (webrtc.SessionDescription, error) {
	d, ok := m.Fields[m.Type].(map[string]any)
	if !ok {
		return webrtc.SessionDescription{}, fmt.Errorf("%w: %s without a description map", saltyrtc.ErrMessage, m.Type)
	}
	typ, _ := d[fieldType].(string)
	sdp, ok := d[fieldSDP].(string)
	if webrtc.NewSDPType(typ) != want || !ok {
		return webrtc.SessionDescription{}, fmt.Errorf("%w: %s with type %q or without sdp", saltyrtc.ErrMessage, m.Type, typ)
	}
	return webrtc.SessionDescription{Type: want, SDP: sdp}, nil
}

// candidatesMessage bundles local candidates into one `candidates` message.
func candidatesMessage(cs []webrtc.ICECandidateInit) saltyrtc.TaskMessage {
	list := make([]any, 0, len(cs))
	for _, c := range cs {
		e := map[string]any{fieldCandidate: c.Candidate, fieldSDPMid: nil, fieldSDPMLineIndex: nil, fieldUsernameFragment: nil}
		if c.SDPMid != nil {
			e[fieldSDPMid] = *c.SDPMid
		}
		if c.SDPMLineIndex != nil {
			e[fieldSDPMLineIndex] = *c.SDPMLineIndex
		}
		if c.UsernameFragment != nil {
			e[fieldUsernameFragment] = *c.UsernameFragment
		}
		list = append(list, e)
	}
	return saltyrtc.TaskMessage{Type: typeCandidates, Fields: map[string]any{typeCandidates: list}}
}

// parseCandidates validates a `candidates` message as TWJS does; Nil entries
// (end of candidates) are skipped.
func parseCandidates(m saltyrtc.TaskMessage) ([]webrtc.ICECandidateInit, error) {
	list, ok := m.Fields[typeCandidates].([]any)
	if !ok || len(list) == 0 || len(list) > maxCandidatesPerMessage {
		return nil, fmt.Errorf("%w: candidates is not a list of 1..%d", saltyrtc.ErrMessage, maxCandidatesPerMessage)
	}
	out := make([]webrtc.ICECandidateInit, 0, len(list))
	for _, v := range list {
		if v == nil {
			continue
		}
		e, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: candidate is %T", saltyrtc.ErrMessage, v)
		}
		var c webrtc.ICECandidateInit
		if c.Candidate, ok = e[fieldCandidate].(string); !ok {
			return nil, fmt.Errorf("%w: candidate without a candidate string", saltyrtc.ErrMessage)
		}
		if s, ok := e[fieldSDPMid].(string); ok {
			c.SDPMid = &s
		} else if e[fieldSDPMid] != nil {
			return nil, fmt.Errorf("%w: sdpMid is %T", saltyrtc.ErrMessage, e[fieldSDPMid])
		}
		if e[fieldSDPMLineIndex] != nil {
			n, ok := saltyrtc.AsUint(e[fieldSDPMLineIndex])
			if !ok || n > 0xffff {
				return nil, fmt.Errorf("%w: sdpMLineIndex is not a u16", saltyrtc.ErrMessage)
			}
			i := uint16(n)
			c.SDPMLineIndex = &i
		}
		if s, ok := e[fieldUsernameFragment].(string); ok {
			c.UsernameFragment = &s
		}
		out = append(out, c)
	}
	return out, nil
}
