package webclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"

	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// handleAck answers request/ack as the Android app does: acknowledged is a
// thumbs up, declined a thumbs down, and the reaction toggles — withdrawn if
// the own identity already has that emoji on the message. The phone sends it
// as a reaction or, to a peer without reactions, as the agree/decline
// receipt (phone.React). request/ack has no reply (§2.4); the phone's
// reaction event pushes the changed message. As in Threema Web, only
// incoming messages of a contact or group are acknowledged.
func (s *Session) handleAck(ctx context.Context, _ wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.AckRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	if r.Receiver.Type != wc.ReceiverContact && r.Receiver.Type != wc.ReceiverGroup {
		return nil, wc.ErrNotAllowed
	}
	msg, err := s.message(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	if msg.Outgoing {
		return nil, wc.ErrNotAllowed
	}
	emoji := e2e.ThumbsDown
	if r.Acknowledged {
		emoji = e2e.ThumbsUp
	}
	has, err := s.srv.p.Store().HasReaction(ctx, msg.Seq, s.srv.p.ID(), emoji)
	if err != nil {
		return nil, fmt.Errorf("webclient: ack: %w", err)
	}
	if _, err := s.srv.p.React(ctx, msg.Conversation, msg.MessageID, emoji, has); err != nil {
		return nil, reactError(err)
	}
	return nil, nil
}

// handleReaction answers Kurier's request/reaction: the own emoji reaction
// to any message of a contact or group, applied or withdrawn as the desktop
// says (no toggle). The reply is response/reaction; the phone's reaction
// event pushes the changed message (none when nothing changed).
func (s *Session) handleReaction(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.ReactionRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	if r.Receiver.Type != wc.ReceiverContact && r.Receiver.Type != wc.ReceiverGroup {
		return nil, wc.ErrNotAllowed // distribution lists have no reactions
	}
	msg, err := s.message(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	if _, err := s.srv.p.React(ctx, msg.Conversation, msg.MessageID, r.Emoji, r.Withdraw); err != nil {
		return nil, reactError(err)
	}
	return []wc.WireMessage{wc.NewReactionResult(m, r.Receiver, r.MessageID, nil)}, nil
}

// reactError maps an error of phone.React to a wire error.
func reactError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", wc.ErrInvalidMessage, err)
	case errors.Is(err, phone.ErrInvalid):
		return fmt.Errorf("%w: %w", wc.ErrBadRequest, err)
	case errors.Is(err, phone.ErrBlocked):
		return fmt.Errorf("%w: %w", wc.ErrBlocked, err)
	case errors.Is(err, phone.ErrNotMember), errors.Is(err, phone.ErrRevoked):
		return fmt.Errorf("%w: %w", wc.ErrNotAllowed, err)
	}
	return fmt.Errorf("webclient: reaction: %w", err)
}

// handleDeleteMessage deletes a message on the phone only, any sender's in
// any conversation, as the Android app's DeleteMessageHandler does (the peers
// keep theirs; Kurier's request/deleteMessageForEveryone is the other
// delete). It answers with response/confirmAction and pushes the message as
// removed, with the replies quoting it (now quoting nothing) and its
// conversation. The phone emits no event for its own deletes, so the push
// is built here.
func (s *Session) handleDeleteMessage(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.MessageRef)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	msg, err := s.message(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	if err := s.srv.p.RemoveMessage(ctx, msg.Seq); errors.Is(err, store.ErrNotFound) {
		return nil, wc.ErrInvalidMessage
	} else if err != nil {
		return nil, fmt.Errorf("webclient: delete message: %w", err)
	}
	return append([]wc.WireMessage{wc.NewConfirmActionReply(m, nil)},
		s.messagePush(ctx, r.Receiver, msg, wc.ModeRemoved, true)...), nil
}
