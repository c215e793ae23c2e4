package e2e

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/kurier/kurier/protocol/csp"
)

// Group limits (Kurier's choices: Threema's group size is 256 members
// including the creator; names are short).
const (
	// MaxGroupMembers bounds the member list of a group-setup (creator
	// excluded).
	MaxGroupMembers = 255
	// MaxGroupNameLen bounds a group name in bytes.
	MaxGroupNameLen = 256
)

// groupIDLen is the size of a group id (u64-le); a member container starts
// with creator (8) ‖ group id (8).
const (
	groupIDLen         = 8
	memberContainerLen = csp.IDLen + groupIDLen
)

// Group identifies a group: its creator and the creator's group id, never
// the group id alone (§3.5).
type Group struct {
	// Creator is the identity that created the group.
	Creator csp.ID
	// ID is the creator's 64-bit group id.
	ID uint64
}

func (g Group) appendTo(dst []byte) ([]byte, error) {
	if !g.Creator.Valid() {
		return nil, fmt.Errorf("%w: group creator", ErrInvalidField)
	}
	dst = append(dst, g.Creator[:]...)
	return binary.LittleEndian.AppendUint64(dst, g.ID), nil
}

// splitMemberContainer splits a group-member container (§3.5) into the
// group and the inner message.
func splitMemberContainer(b []byte) (Group, []byte, error) {
	if len(b) < memberContainerLen {
		return Group{}, nil, fmt.Errorf("%w: group member container of %d bytes", ErrMalformed, len(b))
	}
	creator, err := csp.IDFromBytes(b[:csp.IDLen])
	if err != nil {
		return Group{}, nil, fmt.Errorf("%w: group creator", ErrInvalidField)
	}
	return Group{Creator: creator, ID: binary.LittleEndian.Uint64(b[csp.IDLen:])}, b[memberContainerLen:], nil
}

// splitCreatorContainer splits a group-creator container (§3.5) into the
// group id and the inner message; the creator is implied by the envelope.
func splitCreatorContainer(b []byte) (uint64, []byte, error) {
	if len(b) < groupIDLen {
		return 0, nil, fmt.Errorf("%w: group creator container of %d bytes", ErrMalformed, len(b))
	}
	return binary.LittleEndian.Uint64(b), b[groupIDLen:], nil
}

// GroupOf returns the group that m concerns, given the envelope's sender
// and receiver: the member container names the creator; a creator container
// implies it (the sender for setup and name, the receiver for a
// sync-request). ok is false for a message that is not a group message.
func GroupOf(m Message, sender, receiver csp.ID) (g Group, ok bool) {
	switch m := m.(type) {
	case GroupText:
		return m.Group, true
	case GroupLocation:
		return m.Group, true
	case GroupFile:
		return m.Group, true
	case GroupLeave:
		return m.Group, true
	case GroupDeliveryReceipt:
		return m.Group, true
	case GroupReaction:
		return m.Group, true
	case GroupEditMessage:
		return m.Group, true
	case GroupDeleteMessage:
		return m.Group, true
	case GroupSetup:
		return Group{Creator: sender, ID: m.GroupID}, true
	case GroupName:
		return Group{Creator: sender, ID: m.GroupID}, true
	case GroupSetPhoto:
		return Group{Creator: sender, ID: m.GroupID}, true
	case GroupDeletePhoto:
		return Group{Creator: sender, ID: m.GroupID}, true
	case GroupSyncRequest:
		return Group{Creator: receiver, ID: m.GroupID}, true
	}
	return Group{}, false
}

// GroupSetup (0x4a) is sent by the creator to every member to create the
// group or set its members; a receiver missing from Members has been
// removed. Inner: group-creator container of the concatenated 8-byte member
// ids, creator excluded (§3.5). Members are valid, distinct identities; the
// receiver must also check that the creator (the sender) is not among them.
type GroupSetup struct {
	// GroupID is the creator's group id.
	GroupID uint64
	// Members are the members other than the creator.
	Members []csp.ID
}

// Type returns TypeGroupSetup.
func (GroupSetup) Type() byte { return TypeGroupSetup }

func (m GroupSetup) appendInner(dst []byte) ([]byte, error) {
	if err := checkMembers(m.Members); err != nil {
		return nil, err
	}
	dst = binary.LittleEndian.AppendUint64(dst, m.GroupID)
	for _, id := range m.Members {
		dst = append(dst, id[:]...)
	}
	return dst, nil
}

func decodeGroupSetup(b []byte) (Message, error) {
	gid, rest, err := splitCreatorContainer(b)
	if err != nil {
		return nil, err
	}
	if len(rest)%csp.IDLen != 0 {
		return nil, fmt.Errorf("%w: group-setup member list of %d bytes", ErrMalformed, len(rest))
	}
	if len(rest)/csp.IDLen > MaxGroupMembers {
		return nil, fmt.Errorf("%w: group of %d members", ErrTooLarge, len(rest)/csp.IDLen)
	}
	m := GroupSetup{GroupID: gid}
	for ; len(rest) > 0; rest = rest[csp.IDLen:] {
		id, err := csp.IDFromBytes(rest[:csp.IDLen])
		if err != nil {
			return nil, fmt.Errorf("%w: group member", ErrInvalidField)
		}
		m.Members = append(m.Members, id)
	}
	if err := checkMembers(m.Members); err != nil {
		return nil, err
	}
	return m, nil
}

func checkMembers(ids []csp.ID) error {
	if len(ids) > MaxGroupMembers {
		return fmt.Errorf("%w: group of %d members", ErrTooLarge, len(ids))
	}
	seen := make(map[csp.ID]struct{}, len(ids))
	for _, id := range ids {
		if !id.Valid() {
			return fmt.Errorf("%w: group member", ErrInvalidField)
		}
		if _, dup := seen[id]; dup {
			return fmt.Errorf("%w: duplicate group member", ErrInvalidField)
		}
		seen[id] = struct{}{}
	}
	return nil
}

// GroupName (0x4b) renames a group; sent by the creator. Inner:
// group-creator container of the UTF-8 name (may be empty,
// ≤ MaxGroupNameLen bytes).
type GroupName struct {
	// GroupID is the creator's group id.
	GroupID uint64
	// Name is the new name.
	Name string
}

// Type returns TypeGroupName.
func (GroupName) Type() byte { return TypeGroupName }

func (m GroupName) appendInner(dst []byte) ([]byte, error) {
	if err := checkGroupName(m.Name); err != nil {
		return nil, err
	}
	dst = binary.LittleEndian.AppendUint64(dst, m.GroupID)
	return append(dst, m.Name...), nil
}

func decodeGroupName(b []byte) (Message, error) {
	gid, rest, err := splitCreatorContainer(b)
	if err != nil {
		return nil, err
	}
	if err := checkGroupName(string(rest)); err != nil {
		return nil, err
	}
	return GroupName{GroupID: gid, Name: string(rest)}, nil
}

func checkGroupName(s string) error {
	if len(s) > MaxGroupNameLen {
		return fmt.Errorf("%w: group name of %d bytes", ErrTooLarge, len(s))
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: group name is not UTF-8", ErrInvalidField)
	}
	return nil
}

// GroupLeave (0x4c) is sent by a member (not the creator) to every other
// member when it leaves. Inner: group-member container, nothing else.
type GroupLeave struct {
	// Group is the group left.
	Group Group
}

// Type returns TypeGroupLeave.
func (GroupLeave) Type() byte { return TypeGroupLeave }

func (m GroupLeave) appendInner(dst []byte) ([]byte, error) { return m.Group.appendTo(dst) }

func decodeGroupLeave(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes in group-leave", ErrMalformed, len(rest))
	}
	return GroupLeave{Group: g}, nil
}

// GroupSyncRequest (0x51) is sent by a member to the creator to ask for the
// group's current setup, name and picture. Inner: group-creator container,
// nothing else.
type GroupSyncRequest struct {
	// GroupID is the creator's group id; the creator is the receiver.
	GroupID uint64
}

// Type returns TypeGroupSyncRequest.
func (GroupSyncRequest) Type() byte { return TypeGroupSyncRequest }

func (m GroupSyncRequest) appendInner(dst []byte) ([]byte, error) {
	return binary.LittleEndian.AppendUint64(dst, m.GroupID), nil
}

func decodeGroupSyncRequest(b []byte) (Message, error) {
	gid, rest, err := splitCreatorContainer(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes in group-sync-request", ErrMalformed, len(rest))
	}
	return GroupSyncRequest{GroupID: gid}, nil
}

// GroupText (0x41) is a text to a group. Inner: group-member container of a
// text (see Text).
type GroupText struct {
	// Group is the group.
	Group Group
	// Text is the message text.
	Text string
}

// Type returns TypeGroupText.
func (GroupText) Type() byte { return TypeGroupText }

func (m GroupText) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return Text{Text: m.Text}.appendInner(dst)
}

func decodeGroupText(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	if err := checkText(string(rest), false); err != nil {
		return nil, err
	}
	return GroupText{Group: g, Text: string(rest)}, nil
}

// GroupLocation (0x42) is a location sent to a group. Inner: group-member
// container of a location (see Location).
type GroupLocation struct {
	// Group is the group.
	Group Group
	// Location is the place.
	Location Location
}

// Type returns TypeGroupLocation.
func (GroupLocation) Type() byte { return TypeGroupLocation }

func (m GroupLocation) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return m.Location.appendInner(dst)
}

func decodeGroupLocation(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	loc, err := parseLocation(rest)
	if err != nil {
		return nil, err
	}
	return GroupLocation{Group: g, Location: loc}, nil
}

// GroupFile (0x46) is a file sent to a group. Inner: group-member container
// of the file JSON (see File). Group receivers do not mark the blob done (§5).
type GroupFile struct {
	// Group is the group.
	Group Group
	// File is the file.
	File File
}

// Type returns TypeGroupFile.
func (GroupFile) Type() byte { return TypeGroupFile }

func (m GroupFile) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return m.File.appendInner(dst)
}

func decodeGroupFile(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	f, err := parseFile(rest)
	if err != nil {
		return nil, err
	}
	return GroupFile{Group: g, File: f}, nil
}

// GroupDeliveryReceipt (0x81) reports a status for group messages (in
// practice acknowledge/decline). Inner: group-member container of a
// delivery receipt (see DeliveryReceipt).
type GroupDeliveryReceipt struct {
	// Group is the group.
	Group Group
	// Status is the reported status.
	Status ReceiptStatus
	// MessageIDs are the ids of the messages concerned.
	MessageIDs []uint64
}

// Type returns TypeGroupDeliveryReceipt.
func (GroupDeliveryReceipt) Type() byte { return TypeGroupDeliveryReceipt }

func (m GroupDeliveryReceipt) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return appendReceipt(dst, m.Status, m.MessageIDs)
}

func decodeGroupDeliveryReceipt(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	st, ids, err := parseReceipt(rest)
	if err != nil {
		return nil, err
	}
	return GroupDeliveryReceipt{Group: g, Status: st, MessageIDs: ids}, nil
}
