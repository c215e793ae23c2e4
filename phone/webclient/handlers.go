package webclient

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kurier/kurier/internal/buildinfo"
	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// pageSize is the number of messages of one response/messages (Threema Web
// asks for older pages with refMsgId).
const pageSize = 50

// handler answers one message kind; it returns the messages to send. A
// returned error is sent to the desktop as the reply's error code.
type handler func(s *Session, ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error)

// handlers is the dispatch table, keyed by (type, subType).
var handlers = map[wc.Key]handler{
	{Type: wc.TypeRequest, SubType: wc.SubClientInfo}:               (*Session).handleClientInfo,
	{Type: wc.TypeRequest, SubType: wc.SubReceivers}:                (*Session).handleReceivers,
	{Type: wc.TypeRequest, SubType: wc.SubConversations}:            (*Session).handleConversations,
	{Type: wc.TypeRequest, SubType: wc.SubMessages}:                 (*Session).handleMessages,
	{Type: wc.TypeRequest, SubType: wc.SubProfile}:                  (*Session).handleProfile,
	{Type: wc.TypeUpdate, SubType: wc.SubProfile}:                   (*Session).handleProfileUpdate,
	{Type: wc.TypeCreate, SubType: wc.SubTextMessage}:               (*Session).handleTextMessage,
	{Type: wc.TypeRequest, SubType: wc.SubRead}:                     (*Session).handleRead,
	{Type: wc.TypeUpdate, SubType: wc.SubTyping}:                    (*Session).handleTyping,
	{Type: wc.TypeUpdate, SubType: wc.SubActiveConversation}:        (*Session).handleNothing,
	{Type: wc.TypeRequest, SubType: wc.SubKeyPersisted}:             (*Session).handleNothing,
	{Type: wc.TypeRequest, SubType: wc.SubBatteryStatus}:            (*Session).handleBatteryStatus,
	{Type: wc.TypeUpdate, SubType: wc.SubConnectionInfo}:            (*Session).handleNothing,
	{Type: wc.TypeCreate, SubType: wc.SubFileMessage}:               (*Session).handleFileMessage,
	{Type: wc.TypeRequest, SubType: wc.SubThumbnail}:                (*Session).handleThumbnail,
	{Type: wc.TypeRequest, SubType: wc.SubBlob}:                     (*Session).handleBlob,
	{Type: wc.TypeRequest, SubType: wc.SubAvatar}:                   (*Session).handleAvatar,
	{Type: wc.TypeRequest, SubType: wc.SubAck}:                      (*Session).handleAck,
	{Type: wc.TypeRequest, SubType: wc.SubReaction}:                 (*Session).handleReaction,
	{Type: wc.TypeRequest, SubType: wc.SubEditMessage}:              (*Session).handleEditMessage,
	{Type: wc.TypeRequest, SubType: wc.SubDeleteForEveryone}:        (*Session).handleDeleteForEveryone,
	{Type: wc.TypeDelete, SubType: wc.SubMessage}:                   (*Session).handleDeleteMessage,
	{Type: wc.TypeCreate, SubType: wc.SubContact}:                   (*Session).handleContactCreate,
	{Type: wc.TypeUpdate, SubType: wc.SubContact}:                   (*Session).handleContactUpdate,
	{Type: wc.TypeRequest, SubType: wc.SubContactDetail}:            (*Session).handleContactDetail,
	{Type: wc.TypeCreate, SubType: wc.SubGroup}:                     (*Session).handleGroupCreate,
	{Type: wc.TypeUpdate, SubType: wc.SubGroup}:                     (*Session).handleGroupUpdate,
	{Type: wc.TypeDelete, SubType: wc.SubGroup}:                     (*Session).handleGroupDelete,
	{Type: wc.TypeRequest, SubType: wc.SubGroupSync}:                (*Session).handleGroupSync,
	{Type: wc.TypeCreate, SubType: wc.SubDistributionList}:          (*Session).handleListCreate,
	{Type: wc.TypeUpdate, SubType: wc.SubDistributionList}:          (*Session).handleListUpdate,
	{Type: wc.TypeDelete, SubType: wc.SubDistributionList}:          (*Session).handleListDelete,
	{Type: wc.TypeDelete, SubType: wc.SubCleanReceiverConversation}: (*Session).handleCleanConversation,
	{Type: wc.TypeUpdate, SubType: wc.SubConversation}:              (*Session).handleConversationModify,
}

// errSendFailed marks errors of the link itself: they end the session.
var errSendFailed = errors.New("webclient: link failed")

// handle dispatches one message from the desktop; stop is true when the
// desktop ended the session. Only a failing link returns an error.
func (s *Session) handle(ctx context.Context, m wc.WireMessage) (stop bool, err error) {
	switch (wc.Key{Type: m.Type, SubType: m.SubType}) {
	case wc.Key{Type: wc.TypeUpdate, SubType: wc.SubConnectionDisconnect}:
		s.peerReason = wc.DisconnectError
		if d, err := wc.DecodeConnectionDisconnect(m); err == nil {
			s.peerReason = d.Reason
		}
		s.log.Info("desktop disconnected", "reason", s.peerReason)
		return true, nil
	case wc.Key{Type: wc.TypeRequest, SubType: wc.SubConnectionAck}:
		if !s.out.Acks() {
			s.log.Debug("request/connectionAck ignored: no acks on this connection")
			return false, nil
		}
		if err := s.sendControl(ctx, wc.NewConnectionAckReply(m, s.inSeq)); err != nil {
			return false, fmt.Errorf("%w: %w", errSendFailed, err)
		}
		return false, nil
	case wc.Key{Type: wc.TypeUpdate, SubType: wc.SubConnectionAck}:
		a, err := wc.DecodeConnectionAck(m)
		if err != nil || !s.out.Ack(a.SequenceNumber) {
			s.log.Info("connectionAck from the desktop not applied", "sequence", a.SequenceNumber, "sent", s.out.Sent(), "acks", s.out.Acks(), "err", err)
		}
		return false, nil
	}
	var out []wc.WireMessage
	v, derr := wc.DecodeFromWeb(m)
	if ign := m.Ignored(); len(ign) > 0 {
		s.log.Debug("ignored parts of a message from the desktop", "type", m.Type, "subType", m.SubType, "fields", ign)
	}
	h, ok := handlers[wc.Key{Type: m.Type, SubType: m.SubType}]
	switch {
	case derr != nil:
		s.log.Info("bad request from desktop", "type", m.Type, "subType", m.SubType, "err", derr)
		out = []wc.WireMessage{errorReply(m, derr)}
	case !ok:
		s.log.Info("request not implemented", "type", m.Type, "subType", m.SubType)
		out = []wc.WireMessage{errorReply(m, wc.ErrInternal)}
	default:
		var herr error
		out, herr = h(s, ctx, m, v)
		if herr != nil {
			s.log.Info("request failed", "type", m.Type, "subType", m.SubType, "err", herr)
			out = []wc.WireMessage{errorReply(m, herr)}
		}
	}
	for _, r := range out {
		if r.Type == wc.TypeResponse && r.SubType == wc.SubConfirmAction && r.Ack == nil && r.Args["temporaryId"] == nil {
			continue // a confirmation nobody can match (the request had no id)
		}
		if err := s.send(ctx, r); err != nil {
			return false, fmt.Errorf("%w: %w", errSendFailed, err)
		}
	}
	return false, nil
}

// errorReply is the failure reply to m: response/confirmAction where the
// Android app answers with it (delete/*, update/profile, update/conversation,
// request/groupSync), else response/X for request/X, else the same type.
func errorReply(m wc.WireMessage, err error) wc.WireMessage {
	if wc.ConfirmsAction(wc.Key{Type: m.Type, SubType: m.SubType}) {
		return wc.NewConfirmActionReply(m, err)
	}
	t := m.Type
	if t == wc.TypeRequest {
		t = wc.TypeResponse
	}
	return wc.Reply(m, t, m.SubType, nil, nil, err)
}

// handleConversationModify answers the web's update/conversation: it pins
// or unpins the conversation (isStarred), confirms with the
// response/confirmAction the web expects, and pushes the conversation.
func (s *Session) handleConversationModify(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	c, ok := v.(wc.ConversationModify)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	key, err := s.conversationKey(ctx, c.Receiver)
	if err != nil {
		return nil, err
	}
	if c.IsStarred != nil {
		if err := s.srv.p.Store().SetStarred(ctx, key, *c.IsStarred); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, wc.ErrInvalidConversation
			}
			return nil, err
		}
	}
	out := []wc.WireMessage{wc.NewConfirmActionReply(m, nil)}
	if conv, ok, err := s.conversation(ctx, key, -1); err == nil && ok {
		out = append(out, wc.NewConversationUpdate(wc.ConversationUpdate{Mode: wc.ModeModified, Conversation: conv}))
	}
	return out, nil
}

// handleNothing accepts a message that needs no answer.
func (s *Session) handleNothing(context.Context, wc.WireMessage, any) ([]wc.WireMessage, error) {
	return nil, nil
}

// handleClientInfo answers request/clientInfo.
func (s *Session) handleClientInfo(_ context.Context, m wc.WireMessage, _ any) ([]wc.WireMessage, error) {
	ci := wc.ClientInfo{
		Device: "Kurier virtual phone", OS: "android", OSVersion: "kurier", AppVersion: buildinfo.Version,
		Configuration: wc.AppConfig{VoipEnabled: false, LargeSingleEmoji: true, ShowInactiveIDs: true},
		Capabilities: wc.AppCapabilities{
			MaxGroupSize: 256, MaxFileSize: 50 << 20, DistributionLists: true, QuotesV2: true,
			EmojiReactions: true, KurierReactions: true, KurierEdits: true,
			ImageFormat: wc.ImageFormat{Avatar: "image/jpeg", Thumbnail: "image/jpeg"},
		},
	}
	return []wc.WireMessage{wc.NewClientInfo(m, ci)}, nil
}

// handleBatteryStatus answers request/batteryStatus: a virtual phone is always full and charging.
func (s *Session) handleBatteryStatus(_ context.Context, m wc.WireMessage, _ any) ([]wc.WireMessage, error) {
	full := uint8(100)
	r := wc.NewBatteryStatus(wc.BatteryStatus{Percent: &full, IsCharging: true})
	if m.ID != "" {
		r.Ack = &wc.Ack{ID: m.ID, Success: true}
	}
	return []wc.WireMessage{r}, nil
}

// handleTyping forwards the desktop user's typing to the contact.
func (s *Session) handleTyping(ctx context.Context, _ wc.WireMessage, v any) ([]wc.WireMessage, error) {
	t, ok := v.(wc.Typing)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	if err := s.srv.p.SendTyping(ctx, t.Identity, t.IsTyping); err != nil {
		return nil, fmt.Errorf("%w: %w", wc.ErrInvalidContact, err)
	}
	return nil, nil
}

// parseMessageID reads a wire message id (the store Seq).
func parseMessageID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%w: message id", wc.ErrBadRequest)
	}
	return n, nil
}
