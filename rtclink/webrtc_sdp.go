package rtclink

import (
	"strconv"
	"strings"

	"github.com/pion/webrtc/v4"
)

// peerMaxMessageSize reads a=max-message-size from the peer's description
// (RFC 8841 §6): the largest message the peer's SCTP stack accepts. Absent,
// it is DefaultPeerMaxMessageSize; 0 (any size) is returned as 0.
func peerMaxMessageSize(sd *webrtc.SessionDescription) int {
	if sd == nil {
		return DefaultPeerMaxMessageSize
	}
	for line := range strings.Lines(sd.SDP) {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "a=max-message-size:")
		if !ok {
			continue
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 31); err == nil {
			return int(n)
		}
	}
	return DefaultPeerMaxMessageSize
}

// chunkSizeFor is the chunk size for a peer: min(our maximum, the peer's
// max message size), §1.8 "chunk size ≤ SCTP maxMessageSize".
func chunkSizeFor(maxChunk int, sd *webrtc.SessionDescription) int {
	mms := peerMaxMessageSize(sd)
	if mms <= 0 || mms > maxChunk {
		return maxChunk
	}
	return mms
}
