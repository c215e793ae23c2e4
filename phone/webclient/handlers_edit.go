package webclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// handleEditMessage answers Kurier's request/editMessage: the new text of
// an own text, or the new caption of an own file, in a contact's or a
// group's conversation (phone.EditMessage: E2E 0x91, or 0x93 to every group
// member whose app shows edits). A peer's message is notAllowed, as is a
// distribution list's. When the contact's app, or every other member's,
// cannot show edits (no 0x100 in its feature mask) nothing changes and the
// desktop gets unsupportedByRecipient; past phone.EditWindow it gets
// messageTooOld. The reply is response/editMessage, then the message as
// update/messages mode modified, as when a peer edits (the phone emits no
// event for its own edits and deletes, so the push is built here).
func (s *Session) handleEditMessage(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.EditRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	msg, err := s.ownChangeable(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	switch {
	case !phone.Editable(msg.Type):
		return nil, wc.ErrNotAllowed // a location has no text to edit
	case (msg.Type == e2e.TypeText || msg.Type == e2e.TypeGroupText) && strings.TrimSpace(r.Text) == "":
		return nil, fmt.Errorf("%w: a text cannot be edited to nothing", wc.ErrBadRequest)
	}
	edited, err := s.srv.p.EditMessage(ctx, msg.Conversation, msg.MessageID, r.Text)
	if err != nil {
		return nil, editError(err)
	}
	return append([]wc.WireMessage{wc.NewEditResult(m, r.Receiver, r.MessageID, nil)},
		s.messagePush(ctx, r.Receiver, edited, wc.ModeModified, true)...), nil
}

// handleDeleteForEveryone answers Kurier's request/deleteMessageForEveryone:
// an own message deleted for everyone (phone.DeleteMessage: E2E 0x92, or
// 0x94 to the group members), with the same rules as handleEditMessage
// (delete bit 0x200). The reply is
// response/deleteMessageForEveryone, then the message as update/messages
// mode removed, as when a peer deletes.
func (s *Session) handleDeleteForEveryone(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.DeleteForEveryoneRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	msg, err := s.ownChangeable(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	if err := s.srv.p.DeleteMessage(ctx, msg.Conversation, msg.MessageID); err != nil {
		return nil, editError(err)
	}
	deleted, err := s.srv.p.Store().MessageBySeq(ctx, msg.Seq)
	if err != nil {
		return nil, fmt.Errorf("webclient: delete for everyone: %w", err)
	}
	return append([]wc.WireMessage{wc.NewEditResult(m, r.Receiver, r.MessageID, nil)},
		s.messagePush(ctx, r.Receiver, deleted, wc.ModeRemoved, true)...), nil
}

// ownChangeable finds the message an edit or delete for everyone names: an
// own message of a contact's or a group's conversation that is not deleted
// and was sent at most phone.EditWindow ago.
func (s *Session) ownChangeable(ctx context.Context, r wc.Receiver, id string) (store.Message, error) {
	if r.Type != wc.ReceiverContact && r.Type != wc.ReceiverGroup {
		return store.Message{}, wc.ErrNotAllowed // a distribution list's messages live in the 1:1 chats
	}
	msg, err := s.message(ctx, r, id)
	if err != nil {
		return store.Message{}, err
	}
	if !msg.Outgoing {
		return store.Message{}, wc.ErrNotAllowed
	}
	if !msg.DeletedAt.IsZero() {
		return store.Message{}, fmt.Errorf("%w: the message is deleted", wc.ErrBadRequest)
	}
	if time.Since(msg.CreatedAt) > phone.EditWindow {
		return store.Message{}, wc.ErrMessageTooOld
	}
	return msg, nil
}

// editError maps an error of phone.EditMessage or phone.DeleteMessage to a
// wire error.
func editError(err error) error {
	switch {
	case errors.Is(err, phone.ErrFeatureUnsupported):
		return fmt.Errorf("%w: %w", wc.ErrUnsupportedByRecipient, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", wc.ErrInvalidMessage, err)
	case errors.Is(err, phone.ErrInvalid):
		return fmt.Errorf("%w: %w", wc.ErrBadRequest, err)
	case errors.Is(err, phone.ErrBlocked):
		return fmt.Errorf("%w: %w", wc.ErrBlocked, err)
	case errors.Is(err, phone.ErrRevoked), errors.Is(err, phone.ErrUnknownIdentity), errors.Is(err, phone.ErrNotMember):
		return fmt.Errorf("%w: %w", wc.ErrNotAllowed, err)
	}
	return fmt.Errorf("webclient: edit: %w", err)
}
