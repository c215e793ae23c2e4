package e2e

import "fmt"

// Message type bytes (§3.5; Android ProtocolDefines, DESK CspE2eMessageType).
// Only the types with a Go type below are decoded; the rest of the table
// (deprecated image/video/audio, polls, calls, forward security, …) decodes to an *UnsupportedTypeError.
const (
	// TypeText is a text message (Text).
	TypeText byte = 0x01
	// TypeLocation is a location message (Location).
	TypeLocation byte = 0x10
	// TypeFile is a file message (File).
	TypeFile byte = 0x17
	// TypeSetProfilePicture is a contact's set-profile-picture (SetProfilePicture).
	TypeSetProfilePicture byte = 0x18
	// TypeDeleteProfilePicture is a contact's delete-profile-picture (DeleteProfilePicture).
	TypeDeleteProfilePicture byte = 0x19
	// TypeGroupText is a group text message (GroupText).
	TypeGroupText byte = 0x41
	// TypeGroupLocation is a group location message (GroupLocation).
	TypeGroupLocation byte = 0x42
	// TypeGroupFile is a group file message (GroupFile).
	TypeGroupFile byte = 0x46
	// TypeGroupSetup creates a group or sets its members (GroupSetup).
	TypeGroupSetup byte = 0x4a
	// TypeGroupName renames a group (GroupName).
	TypeGroupName byte = 0x4b
	// TypeGroupLeave is sent by a member who leaves (GroupLeave).
	TypeGroupLeave byte = 0x4c
	// TypeGroupSetPhoto sets the group's photo (GroupSetPhoto).
	TypeGroupSetPhoto byte = 0x50
	// TypeGroupSyncRequest asks the creator for the group state (GroupSyncRequest).
	TypeGroupSyncRequest byte = 0x51
	// TypeGroupDeletePhoto removes the group's photo (GroupDeletePhoto).
	TypeGroupDeletePhoto byte = 0x54
	// TypeDeliveryReceipt is a 1:1 delivery receipt (DeliveryReceipt).
	TypeDeliveryReceipt byte = 0x80
	// TypeGroupDeliveryReceipt is a group delivery receipt (GroupDeliveryReceipt).
	TypeGroupDeliveryReceipt byte = 0x81
	// TypeReaction applies or withdraws a reaction to a 1:1 message (Reaction).
	TypeReaction byte = 0x82
	// TypeGroupReaction applies or withdraws a reaction to a group message
	// (GroupReaction).
	TypeGroupReaction byte = 0x83
	// TypeTypingIndicator is a typing indicator (TypingIndicator).
	TypeTypingIndicator byte = 0x90
	// TypeEditMessage edits an earlier 1:1 message (EditMessage).
	TypeEditMessage byte = 0x91
	// TypeDeleteMessage deletes an earlier 1:1 message (DeleteMessage).
	TypeDeleteMessage byte = 0x92
	// TypeGroupEditMessage edits an earlier group message (GroupEditMessage).
	TypeGroupEditMessage byte = 0x93
	// TypeGroupDeleteMessage deletes an earlier group message
	// (GroupDeleteMessage).
	TypeGroupDeleteMessage byte = 0x94
)

// Message is one decoded end-to-end message. The set of implementations is
// closed: one Go type per supported type byte, all in this package.
type Message interface {
	// Type is the container's type byte.
	Type() byte
	// appendInner validates the message and appends its inner encoding
	// (without the type byte and padding) to dst.
	appendInner(dst []byte) ([]byte, error)
}

// decoders is the dispatch table, keyed by type byte. Each decoder gets the
// inner message (type byte and padding removed) and must reject trailing
// bytes. It is the package's only global and is never modified.
var decoders = [256]func(inner []byte) (Message, error){
	TypeText:                 decodeText,
	TypeLocation:             decodeLocation,
	TypeFile:                 decodeFile,
	TypeSetProfilePicture:    decodeSetProfilePicture,
	TypeDeleteProfilePicture: decodeDeleteProfilePicture,
	TypeGroupText:            decodeGroupText,
	TypeGroupLocation:        decodeGroupLocation,
	TypeGroupFile:            decodeGroupFile,
	TypeGroupSetup:           decodeGroupSetup,
	TypeGroupName:            decodeGroupName,
	TypeGroupLeave:           decodeGroupLeave,
	TypeGroupSetPhoto:        decodeGroupSetPhoto,
	TypeGroupSyncRequest:     decodeGroupSyncRequest,
	TypeGroupDeletePhoto:     decodeGroupDeletePhoto,
	TypeDeliveryReceipt:      decodeDeliveryReceipt,
	TypeGroupDeliveryReceipt: decodeGroupDeliveryReceipt,
	TypeReaction:             decodeReaction,
	TypeGroupReaction:        decodeGroupReaction,
	TypeTypingIndicator:      decodeTypingIndicator,
	TypeEditMessage:          decodeEditMessage,
	TypeDeleteMessage:        decodeDeleteMessage,
	TypeGroupEditMessage:     decodeGroupEditMessage,
	TypeGroupDeleteMessage:   decodeGroupDeleteMessage,
}

// Encode validates m and returns type ‖ inner, the container before padding.
func Encode(m Message) ([]byte, error) {
	if m == nil {
		return nil, fmt.Errorf("%w: nil message", ErrInvalidField)
	}
	b, err := m.appendInner([]byte{m.Type()})
	if err != nil {
		return nil, fmt.Errorf("e2e: encode type 0x%02x: %w", m.Type(), err)
	}
	return b, nil
}

// Decode decodes type ‖ inner (a container with its padding already removed,
// see DecodeContainer) through the dispatch table. A type it does not support
// gives an *UnsupportedTypeError. String fields of the result are copies;
// nothing aliases b.
func Decode(b []byte) (Message, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty container", ErrMalformed)
	}
	dec := decoders[b[0]]
	if dec == nil {
		return nil, &UnsupportedTypeError{Type: b[0]}
	}
	m, err := dec(b[1:])
	if err != nil {
		return nil, fmt.Errorf("e2e: decode type 0x%02x: %w", b[0], err)
	}
	return m, nil
}

// IsGroup reports whether m is a group message (types 0x41..0x54, 0x81,
// 0x83, 0x93 and 0x94):
// it gets no automatic delivery receipt (§3.5).
func IsGroup(m Message) bool {
	if m == nil {
		return false
	}
	return isGroupType(m.Type())
}

func isGroupType(t byte) bool {
	return (t >= 0x41 && t <= 0x54) || t == TypeGroupDeliveryReceipt || t == TypeGroupReaction ||
		t == TypeGroupEditMessage || t == TypeGroupDeleteMessage
}
