package e2e

import (
	"fmt"
	"unicode/utf8"
)

// EditMessage (0x91) replaces the text (or file caption) of an earlier 1:1
// message of the sender. Inner: protobuf csp_e2e.EditMessage
// {fixed64 message_id = 1; string text = 2}. The receiver must check that
// the edited message exists and came from the same sender, and the sender
// that the peer's feature mask has 0x100 (§3.6).
type EditMessage struct {
	// MessageID is the id of the message to edit; it must not be 0.
	MessageID uint64
	// Text is the new text, at most MaxTextLen bytes; it may be empty to
	// remove a caption.
	Text string
}

// Type returns TypeEditMessage.
func (EditMessage) Type() byte { return TypeEditMessage }

func (m EditMessage) appendInner(dst []byte) ([]byte, error) {
	if m.MessageID == 0 {
		return nil, fmt.Errorf("%w: edit of message id 0", ErrInvalidField)
	}
	if err := checkText(m.Text, true); err != nil {
		return nil, err
	}
	dst = appendFixed64Field(dst, 1, m.MessageID)
	if m.Text != "" {
		dst = appendBytesField(dst, 2, []byte(m.Text))
	}
	return dst, nil
}

func decodeEditMessage(b []byte) (Message, error) {
	m, err := parseEdit(b)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// parseEdit reads a csp_e2e.EditMessage. Unknown fields are skipped; of
// repeated fields the last one counts, as in protobuf.
func parseEdit(b []byte) (EditMessage, error) {
	var m EditMessage
	r := protoReader{b: b}
	for !r.done() {
		num, wt, err := r.next()
		if err != nil {
			return EditMessage{}, err
		}
		switch num {
		case 1:
			if err := expect(num, wt, wireFixed64); err != nil {
				return EditMessage{}, err
			}
			if m.MessageID, err = r.fixed64(); err != nil {
				return EditMessage{}, err
			}
		case 2:
			if err := expect(num, wt, wireBytes); err != nil {
				return EditMessage{}, err
			}
			v, err := r.bytes()
			if err != nil {
				return EditMessage{}, err
			}
			if !utf8.Valid(v) {
				return EditMessage{}, fmt.Errorf("%w: edit text is not UTF-8", ErrInvalidField)
			}
			m.Text = string(v)
		default:
			if err := r.skip(wt); err != nil {
				return EditMessage{}, err
			}
		}
	}
	if m.MessageID == 0 {
		return EditMessage{}, fmt.Errorf("%w: edit without message id", ErrInvalidField)
	}
	if err := checkText(m.Text, true); err != nil {
		return EditMessage{}, err
	}
	return m, nil
}

// DeleteMessage (0x92) deletes an earlier 1:1 message of the sender. Inner:
// protobuf csp_e2e.DeleteMessage {fixed64 message_id = 1}. The sender checks
// the peer's feature mask for 0x200 (§3.6).
type DeleteMessage struct {
	// MessageID is the id of the message to delete; it must not be 0.
	MessageID uint64
}

// Type returns TypeDeleteMessage.
func (DeleteMessage) Type() byte { return TypeDeleteMessage }

func (m DeleteMessage) appendInner(dst []byte) ([]byte, error) {
	if m.MessageID == 0 {
		return nil, fmt.Errorf("%w: delete of message id 0", ErrInvalidField)
	}
	return appendFixed64Field(dst, 1, m.MessageID), nil
}

func decodeDeleteMessage(b []byte) (Message, error) {
	m, err := parseDelete(b)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// parseDelete reads a csp_e2e.DeleteMessage; unknown fields are skipped.
func parseDelete(b []byte) (DeleteMessage, error) {
	var m DeleteMessage
	r := protoReader{b: b}
	for !r.done() {
		num, wt, err := r.next()
		if err != nil {
			return DeleteMessage{}, err
		}
		if num != 1 {
			if err := r.skip(wt); err != nil {
				return DeleteMessage{}, err
			}
			continue
		}
		if err := expect(num, wt, wireFixed64); err != nil {
			return DeleteMessage{}, err
		}
		if m.MessageID, err = r.fixed64(); err != nil {
			return DeleteMessage{}, err
		}
	}
	if m.MessageID == 0 {
		return DeleteMessage{}, fmt.Errorf("%w: delete without message id", ErrInvalidField)
	}
	return m, nil
}
