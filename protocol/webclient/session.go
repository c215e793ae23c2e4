package webclient

import (
	"fmt"
	"math"
)

// ResumeInfo asks the peer to resume the previous connection (§2.3): its
// connection id and the number of chunks received on it.
type ResumeInfo struct {
	ID             []byte
	SequenceNumber uint32
}

// ConnectionInfo is update/connectionInfo, the first message each way (§2.3):
// data {id: bin, resume?: {id: bin, sequenceNumber: u32}}.
type ConnectionInfo struct {
	ID     []byte
	Resume *ResumeInfo
}

// validConnID accepts a 16-byte id or the 32-byte placeholder.
func validConnID(b []byte) bool {
	return len(b) == ConnectionIDSize || IsFakeConnectionID(b)
}

// NewConnectionInfo builds update/connectionInfo.
func NewConnectionInfo(ci ConnectionInfo) WireMessage {
	d := set{"id": ci.ID}
	if ci.Resume != nil {
		d["resume"] = map[string]any{"id": ci.Resume.ID, "sequenceNumber": ci.Resume.SequenceNumber}
	}
	return WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any(d)}
}

// DecodeConnectionInfo decodes update/connectionInfo.
func DecodeConnectionInfo(m WireMessage) (ConnectionInfo, error) {
	if err := expect(m, TypeUpdate, SubConnectionInfo); err != nil {
		return ConnectionInfo{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return ConnectionInfo{}, err
	}
	ci := ConnectionInfo{ID: d.bin("id", true, 32)}
	if r := d.sub("resume", false); r != nil {
		ci.Resume = &ResumeInfo{ID: r.bin("id", true, 32), SequenceNumber: uint32(r.uint("sequenceNumber", true, math.MaxUint32))}
		if r.err != nil {
			return ConnectionInfo{}, fmt.Errorf("webclient: connectionInfo: %w", r.err)
		}
		if !validConnID(ci.Resume.ID) {
			return ConnectionInfo{}, fmt.Errorf("%w: data.resume.id of %d bytes", ErrField, len(ci.Resume.ID))
		}
	}
	if d.err != nil {
		return ConnectionInfo{}, fmt.Errorf("webclient: connectionInfo: %w", d.err)
	}
	if !validConnID(ci.ID) {
		return ConnectionInfo{}, fmt.Errorf("%w: data.id of %d bytes", ErrField, len(ci.ID))
	}
	return ci, nil
}

// ConnectionAck is request/connectionAck (asks for an ack now; Request set)
// or update/connectionAck {sequenceNumber} (§2.1, relayed-data task).
type ConnectionAck struct {
	Request        bool
	SequenceNumber uint32
}

// NewConnectionAckRequest builds request/connectionAck.
func NewConnectionAckRequest() WireMessage {
	return WireMessage{Type: TypeRequest, SubType: SubConnectionAck}
}

// NewConnectionAck builds update/connectionAck with the incoming sequence number.
func NewConnectionAck(seq uint32) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubConnectionAck, Data: map[string]any{"sequenceNumber": seq}}
}

// NewConnectionAckReply builds update/connectionAck answering a
// request/connectionAck: with an ack when the request carried an id (as the
// iOS app does).
func NewConnectionAckReply(req WireMessage, seq uint32) WireMessage {
	return Reply(req, TypeUpdate, SubConnectionAck, nil, map[string]any{"sequenceNumber": seq}, nil)
}

// DecodeConnectionAck decodes request/ or update/connectionAck.
func DecodeConnectionAck(m WireMessage) (ConnectionAck, error) {
	if m.Type == TypeRequest && m.SubType == SubConnectionAck {
		return ConnectionAck{Request: true}, nil
	}
	if err := expect(m, TypeUpdate, SubConnectionAck); err != nil {
		return ConnectionAck{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return ConnectionAck{}, err
	}
	a := ConnectionAck{SequenceNumber: uint32(d.uint("sequenceNumber", true, math.MaxUint32))}
	if d.err != nil {
		return ConnectionAck{}, fmt.Errorf("webclient: connectionAck: %w", d.err)
	}
	return a, nil
}

// DisconnectReason is why a session ends (§2.3; WEB threema.d.ts DisconnectReason).
type DisconnectReason string

// The disconnect reasons of §2.3.
const (
	DisconnectStop    DisconnectReason = "stop"
	DisconnectDelete  DisconnectReason = "delete"
	DisconnectDisable DisconnectReason = "disable"
	DisconnectReplace DisconnectReason = "replace"
	DisconnectOOM     DisconnectReason = "oom"
	DisconnectError   DisconnectReason = "error"
)

// ConnectionDisconnect is update/connectionDisconnect: data {reason}.
type ConnectionDisconnect struct {
	Reason DisconnectReason
}

// NewConnectionDisconnect builds update/connectionDisconnect.
func NewConnectionDisconnect(r DisconnectReason) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubConnectionDisconnect, Data: map[string]any{"reason": string(r)}}
}

// DecodeConnectionDisconnect decodes update/connectionDisconnect.
func DecodeConnectionDisconnect(m WireMessage) (ConnectionDisconnect, error) {
	if err := expect(m, TypeUpdate, SubConnectionDisconnect); err != nil {
		return ConnectionDisconnect{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return ConnectionDisconnect{}, err
	}
	r := d.oneOf("reason", true, "stop", "delete", "disable", "replace", "oom", "error")
	if d.err != nil {
		return ConnectionDisconnect{}, fmt.Errorf("webclient: connectionDisconnect: %w", d.err)
	}
	return ConnectionDisconnect{Reason: DisconnectReason(r)}, nil
}

// DecodeEmptyRequest decodes a request that carries no payload
// (request/receivers, request/profile, request/batteryStatus,
// request/keyPersisted) and returns its key.
func DecodeEmptyRequest(m WireMessage) (Key, error) {
	if err := expect(m, TypeRequest, SubReceivers, SubProfile, SubBatteryStatus, SubKeyPersisted); err != nil {
		return Key{}, err
	}
	return Key{m.Type, m.SubType}, nil
}

// NewRequest builds a request without payload, with the correlation id (may be empty).
func NewRequest(st SubType, id string) WireMessage {
	return WireMessage{Type: TypeRequest, SubType: st, ID: id}
}
