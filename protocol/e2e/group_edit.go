package e2e

// GroupEditMessage (0x93) replaces the text (or file caption) of an earlier
// group message of the sender. Inner: group-member container (creator ‖
// group id) of a csp_e2e.EditMessage (see EditMessage), as in Threema's
// GroupEditMessage. The receiver applies it only to a message of that group
// that the same sender sent; the sender sends it to the members whose
// feature mask has csp.FeatureEditMessage (0x100) and nothing to the others,
// who keep the original text (threema-android's GroupMessageReceiver).
type GroupEditMessage struct {
	// Group is the group.
	Group Group
	// Edit is the edit.
	Edit EditMessage
}

// Type returns TypeGroupEditMessage.
func (GroupEditMessage) Type() byte { return TypeGroupEditMessage }

func (m GroupEditMessage) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return m.Edit.appendInner(dst)
}

func decodeGroupEditMessage(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	e, err := parseEdit(rest)
	if err != nil {
		return nil, err
	}
	return GroupEditMessage{Group: g, Edit: e}, nil
}

// GroupDeleteMessage (0x94) deletes an earlier group message of the sender
// for every member. Inner: group-member container of a
// csp_e2e.DeleteMessage (see DeleteMessage). Receivers and senders follow
// the rules of GroupEditMessage, with csp.FeatureDeleteMessage (0x200).
type GroupDeleteMessage struct {
	// Group is the group.
	Group Group
	// Delete is the deletion.
	Delete DeleteMessage
}

// Type returns TypeGroupDeleteMessage.
func (GroupDeleteMessage) Type() byte { return TypeGroupDeleteMessage }

func (m GroupDeleteMessage) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return m.Delete.appendInner(dst)
}

func decodeGroupDeleteMessage(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	d, err := parseDelete(rest)
	if err != nil {
		return nil, err
	}
	return GroupDeleteMessage{Group: g, Delete: d}, nil
}
