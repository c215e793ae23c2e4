package webclient

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// handleAck sends the user's acknowledge or decline of an incoming 1:1
// message (request/ack has no reply, §2.4); the phone's message-state event
// pushes the changed message.
func (s *Session) handleAck(ctx context.Context, _ wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.AckRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	if r.Receiver.Type != wc.ReceiverContact {
		return nil, wc.ErrNotAllowed // group acks are not supported by the phone
	}
	msg, err := s.message(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	if msg.Outgoing {
		return nil, wc.ErrNotAllowed
	}
	status := e2e.ReceiptDeclined
	if r.Acknowledged {
		status = e2e.ReceiptAcknowledged
	}
	if err := s.srv.p.SendReceipt(ctx, r.Receiver.ID, status, msg.MessageID); err != nil {
		return nil, fmt.Errorf("webclient: ack: %w", err)
	}
	return nil, nil
}

// handleDeleteMessage deletes an own 1:1 message for both sides, answers
// with response/confirmAction (as the Android app does) and pushes it as
// removed. The phone emits no event for
// its own deletes, so the push is built here.
func (s *Session) handleDeleteMessage(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.MessageRef)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	if r.Receiver.Type != wc.ReceiverContact {
		return nil, wc.ErrNotAllowed // the phone deletes 1:1 messages only
	}
	msg, err := s.message(ctx, r.Receiver, r.MessageID)
	if err != nil {
		return nil, err
	}
	if !msg.Outgoing {
		return nil, wc.ErrNotAllowed
	}
	if err := s.srv.p.DeleteMessage(ctx, r.Receiver.ID, msg.MessageID); err != nil {
		return nil, fmt.Errorf("%w: %w", wc.ErrNotAllowed, err)
	}
	if m2, err := s.srv.p.Store().MessageBySeq(ctx, msg.Seq); err == nil {
		msg = m2
	}
	return []wc.WireMessage{wc.NewConfirmActionReply(m, nil),
		wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: r.Receiver, Mode: wc.ModeRemoved, Messages: []wc.Message{s.messageOf(msg)}})}, nil
}
