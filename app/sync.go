package app

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/store"
	"github.com/kurier/kurier/internal/buildinfo"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// attach makes conn the session's connection, brings the cache up to date
// (unless it resumed the previous connection) and applies every update the phone pushes until the connection ends. It
// returns why the connection ended.
func (s *session) attach(ctx context.Context, conn *phonelink.Conn) error {
	s.mu.Lock()
	s.conn = conn
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.conn == conn {
			s.conn = nil
		}
		s.mu.Unlock()
	}()
	// A resumed connection continues where the dropped one stopped (the
	// phone replays what was missed); a fresh one re-syncs, and so does one
	// that resumes a connection which dropped before its sync was done.
	if !conn.Resumed() || !s.isSynced() {
		if err := s.syncWhileUp(ctx, conn); err != nil {
			_ = conn.Close("")
			return err
		}
	}
	// What was written while the phone was away goes out now, in order.
	sendCtx, stopSending := context.WithCancel(ctx)
	sending := make(chan struct{})
	go func() {
		defer close(sending)
		s.sendOutbox(sendCtx, conn)
	}()
	defer func() {
		stopSending()
		<-sending
	}()
	for {
		select {
		case m, ok := <-conn.Updates():
			if !ok {
				return conn.Err()
			}
			if err := s.apply(ctx, m); err != nil {
				s.log.Warn("update from the phone not applied", "type", m.Type, "subType", m.SubType, "err", err)
			}
			s.logIgnored(m)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// syncWhileUp runs initialSync until it is done or conn drops. On a
// connection that can be resumed, a request of a dropped connection waits
// for the next one, which keepLinked dials only once attach returns: the
// sync must not wait for it, or a phone that goes away during the sync
// leaves the desktop connected to nothing, for ever.
func (s *session) syncWhileUp(ctx context.Context, conn *phonelink.Conn) error {
	s.setSynced(false)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-conn.Done():
			cancel()
		case <-sctx.Done():
		}
	}()
	if err := s.initialSync(sctx, conn); err != nil {
		if cerr := conn.Err(); cerr != nil {
			return fmt.Errorf("app: the link dropped during the first sync: %w", cerr)
		}
		return err
	}
	s.setSynced(true)
	return nil
}

// isSynced reports whether the last initialSync finished.
func (s *session) isSynced() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.synced
}

func (s *session) setSynced(done bool) {
	s.mu.Lock()
	s.synced = done
	s.mu.Unlock()
}

// initialSync fetches clientInfo, profile, receivers and conversations, and
// the latest messages of every conversation whose newest message the cache
// does not have yet.
func (s *session) initialSync(ctx context.Context, conn *phonelink.Conn) error {
	r, err := conn.Request(ctx, wc.NewClientInfoRequest("", wc.ClientInfoRequest{UserAgent: buildinfo.ProductName + "/" + buildinfo.Version}))
	if err != nil {
		return fmt.Errorf("app: clientInfo: %w", err)
	}
	ci, err := wc.DecodeClientInfo(r)
	s.logIgnored(r)
	if err != nil {
		return fmt.Errorf("app: clientInfo: %w", err)
	}
	lim := defaultLimits()
	if ci.Capabilities.MaxFileSize > 0 {
		lim.MaxFileBytes = int64(ci.Capabilities.MaxFileSize)
	}
	if ci.Capabilities.MaxMessageBodySize > 0 {
		lim.MaxTextBytes = int(ci.Capabilities.MaxMessageBodySize)
	}
	lim.AnyReaction = ci.Capabilities.KurierReactions
	lim.CanEdit = ci.Capabilities.KurierEdits
	if r, err = conn.Request(ctx, wc.NewRequest(wc.SubProfile, "")); err != nil {
		return fmt.Errorf("app: profile: %w", err)
	}
	p, err := wc.DecodeProfile(r)
	s.logIgnored(r)
	if err != nil {
		return fmt.Errorf("app: profile: %w", err)
	}
	prof := profileOf(p)
	s.mu.Lock()
	s.profile, s.limits = prof, lim
	s.mu.Unlock()
	s.hub.Publish(EventProfileChanged, prof)
	if err := s.syncReceivers(ctx, conn); err != nil {
		return err
	}
	if r, err = conn.Request(ctx, wc.NewConversationsRequest("", wc.ConversationsRequest{MaxSize: 64})); err != nil {
		return fmt.Errorf("app: conversations: %w", err)
	}
	wcs, err := wc.DecodeConversations(r)
	s.logIgnored(r)
	if err != nil {
		return fmt.Errorf("app: conversations: %w", err)
	}
	convs := make([]Conversation, 0, len(wcs))
	var stale []Receiver
	for _, c := range wcs {
		conv := s.conversationOf(c)
		convs = append(convs, conv)
		if conv.LastMessage != nil {
			if _, err := s.store.Message(ctx, store.Key{Type: conv.Receiver.Type, ID: conv.Receiver.ID}, conv.LastMessage.ID); errors.Is(err, store.ErrNotFound) {
				stale = append(stale, conv.Receiver)
			}
		}
	}
	if err := s.putConversations(ctx, convs, true); err != nil {
		return err
	}
	all, err := s.conversations(ctx)
	if err != nil {
		return err
	}
	s.hub.Publish(EventConversationsChanged, ConversationsEvent{Conversations: all, Replace: true})
	for _, rc := range stale {
		page, err := s.fetchMessages(ctx, conn, rc, "")
		if err != nil {
			return err
		}
		s.hub.Publish(EventMessagesChanged, MessagesEvent{Receiver: rc, Messages: page.Messages, Removed: []string{}})
	}
	return nil
}

// logIgnored logs at debug level what decoding a message from the phone
// ignored (unknown fields, optional fields of an unexpected type): the real
// apps may send more than this codec knows, and that is no error (§2.3a).
func (s *session) logIgnored(m wc.WireMessage) {
	if ign := m.Ignored(); len(ign) > 0 {
		s.log.Debug("ignored parts of a message from the phone", "type", m.Type, "subType", m.SubType, "fields", ign)
	}
}

func profileOf(p wc.Profile) Profile {
	out := Profile{Identity: p.Identity, Nickname: p.PublicNickname, PublicKey: hex.EncodeToString(p.PublicKey), Fingerprint: fingerprintOf(p.PublicKey)}
	if len(p.Avatar) > 0 {
		out.Avatar = dataURL(p.Avatar)
	}
	return out
}

// mergeProfile applies the app's update/profile to the profile we have: the
// Android app sends only what changed ({publicNickname, avatar?}, a nil
// avatar meaning removed), without identity and key.
func mergeProfile(have Profile, p wc.Profile) Profile {
	if p.Identity != "" {
		return profileOf(p)
	}
	have.Nickname = p.PublicNickname
	switch {
	case len(p.Avatar) > 0:
		have.Avatar = dataURL(p.Avatar)
	case p.AvatarRemoved:
		have.Avatar = ""
	}
	return have
}

// syncReceivers fetches, caches and announces every receiver.
func (s *session) syncReceivers(ctx context.Context, conn *phonelink.Conn) error {
	r, err := conn.Request(ctx, wc.NewRequest(wc.SubReceivers, ""))
	if err != nil {
		return fmt.Errorf("app: receivers: %w", err)
	}
	wr, err := wc.DecodeReceivers(r)
	s.logIgnored(r)
	if err != nil {
		return fmt.Errorf("app: receivers: %w", err)
	}
	rs := receiversOf(wr)
	if err := s.putReceivers(ctx, rs); err != nil {
		return err
	}
	s.hub.Publish(EventReceiversChanged, rs)
	return nil
}

// conversationOf converts a conversation with the receiver's name.
func (s *session) conversationOf(c wc.Conversation) Conversation {
	name, color := s.nameOf(receiverOf(c.Receiver))
	return conversationOf(c, name, color, s.self())
}

// fetchMessages asks the phone for a page of messages (older than before,
// or the newest), caches and returns it. The newest page also takes out of
// the cache what the phone no longer has (dropVanished).
func (s *session) fetchMessages(ctx context.Context, conn *phonelink.Conn, rc Receiver, before string) (MessagePage, error) {
	var cachedBefore int64 // for dropVanished: only the newest page needs it
	if before == "" {
		var err error
		if cachedBefore, err = s.store.NewestSortKey(ctx, rc.key()); err != nil {
			return MessagePage{}, err
		}
	}
	r, err := conn.Request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: rc.wire(), RefMsgID: before}))
	if err != nil {
		return MessagePage{}, fmt.Errorf("app: messages: %w", err)
	}
	resp, err := wc.DecodeMessagesResponse(r)
	s.logIgnored(r)
	if err != nil {
		return MessagePage{}, fmt.Errorf("app: messages: %w", err)
	}
	self := s.self()
	page := MessagePage{Messages: make([]Message, 0, len(resp.Messages)), More: resp.More}
	for _, m := range resp.Messages {
		page.Messages = append(page.Messages, messageOf(rc, m, self))
	}
	if err := s.putMessages(ctx, rc, page.Messages); err != nil {
		return MessagePage{}, err
	}
	if before == "" {
		if err := s.dropVanished(ctx, rc, page, cachedBefore); err != nil {
			return MessagePage{}, err
		}
	}
	return page, nil
}

// dropVanished takes out of the cache (and the search index) the messages
// that the phone's newest page shows are gone: deleted on the phone, or for
// everyone, while this computer was away, when no push told it. They are
// the cached messages in the page's span that the page lacks: from its
// oldest message (from the start when it is the whole conversation) to its
// newest, or to cachedBefore, the newest one cached before the request was
// sent (the phone had it, so it would be in the page). A message that
// arrived after the phone read the page has a higher sort key than both and
// stays. The UI hears of them as removed messages, as of any deletion.
func (s *session) dropVanished(ctx context.Context, rc Receiver, page MessagePage, cachedBefore int64) error {
	if page.More && len(page.Messages) == 0 {
		return nil
	}
	in := make(map[string]bool, len(page.Messages))
	oldest, to := int64(math.MaxInt64), cachedBefore
	for _, m := range page.Messages {
		in[m.ID] = true
		oldest, to = min(oldest, m.SortKey), max(to, m.SortKey)
	}
	from := int64(math.MinInt64)
	if page.More {
		from = oldest
	}
	ids, err := s.store.MessageIDsBetween(ctx, rc.key(), from, to)
	if err != nil {
		return err
	}
	gone := []string{}
	for _, id := range ids {
		if !in[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	if err := s.store.DeleteMessages(ctx, rc.key(), gone); err != nil {
		return err
	}
	if err := s.index.Delete(ctx, rc.Type, rc.ID, gone...); err != nil {
		return err
	}
	s.hub.Publish(EventMessagesChanged, MessagesEvent{Receiver: rc, Messages: []Message{}, Removed: gone})
	return nil
}

// apply handles one message the phone pushed.
func (s *session) apply(ctx context.Context, m wc.WireMessage) error {
	switch {
	case m.Type == wc.TypeUpdate && m.SubType == wc.SubMessages:
		u, err := wc.DecodeMessagesUpdate(m)
		if err != nil {
			return err
		}
		return s.applyMessages(ctx, u)
	case m.Type == wc.TypeUpdate && m.SubType == wc.SubConversation:
		u, err := wc.DecodeConversationUpdate(m)
		if err != nil {
			return err
		}
		return s.applyConversation(ctx, u)
	case m.Type == wc.TypeUpdate && (m.SubType == wc.SubReceiver || m.SubType == wc.SubReceivers):
		// Receivers are few; fetching the whole set keeps one code path.
		conn, err := s.current()
		if err != nil {
			return err
		}
		if err := s.syncReceivers(ctx, conn); err != nil {
			return err
		}
		// A deleted group or list takes its conversation along.
		if u, err := wc.DecodeReceiverUpdate(m); err == nil && u.Mode == wc.ModeRemoved && m.SubType == wc.SubReceiver {
			if err := s.dropConversation(ctx, receiverOf(u.Receiver)); err != nil {
				return err
			}
		}
		return s.renameConversations(ctx)
	case m.Type == wc.TypeUpdate && m.SubType == wc.SubTyping:
		t, err := wc.DecodeTyping(m)
		if err != nil {
			return err
		}
		s.hub.Publish(EventTyping, TypingEvent{Receiver: Receiver{Type: ReceiverContact, ID: t.Identity}, Typing: t.IsTyping})
	case m.Type == wc.TypeUpdate && m.SubType == wc.SubProfile:
		p, err := wc.DecodeProfile(m)
		if err != nil {
			return err
		}
		s.mu.Lock()
		prof := mergeProfile(s.profile, p)
		s.profile = prof
		rs := s.receivers
		s.mu.Unlock()
		if err := s.putReceivers(ctx, rs); err != nil {
			return err
		}
		s.hub.Publish(EventProfileChanged, prof)
	default:
		s.log.Debug("update from the phone ignored", "type", m.Type, "subType", m.SubType)
	}
	return nil
}

func (s *session) applyMessages(ctx context.Context, u wc.MessagesUpdate) error {
	rc := receiverOf(u.Receiver)
	ev := MessagesEvent{Receiver: rc, Messages: []Message{}, Removed: []string{}}
	if u.Mode == wc.ModeRemoved {
		for _, m := range u.Messages {
			ev.Removed = append(ev.Removed, m.ID)
		}
		if err := s.store.DeleteMessages(ctx, store.Key{Type: rc.Type, ID: rc.ID}, ev.Removed); err != nil {
			return err
		}
		if err := s.index.Delete(ctx, rc.Type, rc.ID, ev.Removed...); err != nil {
			return err
		}
		s.hub.Publish(EventMessagesChanged, ev)
		return nil
	}
	self := s.self()
	for _, m := range u.Messages {
		msg := messageOf(rc, m, self)
		ev.Messages = append(ev.Messages, msg)
		if u.Mode == wc.ModeNew && !msg.Outgoing && msg.Type != string(wc.MessageStatus) {
			ev.Incoming = true
		}
	}
	s.messagesMu.Lock()
	defer s.messagesMu.Unlock()
	if err := s.putMessages(ctx, rc, ev.Messages); err != nil {
		return err
	}
	s.hub.Publish(EventMessagesChanged, ev)
	return nil
}

func (s *session) applyConversation(ctx context.Context, u wc.ConversationUpdate) error {
	conv := s.conversationOf(u.Conversation)
	if u.Mode == wc.ModeRemoved {
		return s.dropConversation(ctx, conv.Receiver)
	}
	if err := s.putConversations(ctx, []Conversation{conv}, false); err != nil {
		return err
	}
	s.hub.Publish(EventConversationsChanged, ConversationsEvent{Conversations: []Conversation{conv}})
	return nil
}

// dropConversation takes a conversation the phone no longer has (removed,
// or its group or list deleted) out of the cache with its messages, files
// and search entries, and publishes the conversation list without it.
func (s *session) dropConversation(ctx context.Context, r Receiver) error {
	k := r.key()
	if err := s.forgetMessages(ctx, r); err != nil {
		return err
	}
	all, err := s.store.Conversations(ctx)
	if err != nil {
		return err
	}
	keep := make([]store.ConversationRecord, 0, len(all))
	for _, c := range all {
		if c.Key != k {
			keep = append(keep, c)
		}
	}
	if err := s.store.PutConversations(ctx, keep, true); err != nil {
		return err
	}
	list, err := s.conversations(ctx)
	if err != nil {
		return err
	}
	s.hub.Publish(EventConversationsChanged, ConversationsEvent{Conversations: list, Replace: true})
	return nil
}

// renameConversations refreshes the names of cached conversations after the receivers changed.
func (s *session) renameConversations(ctx context.Context) error {
	list, err := s.conversations(ctx)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Name, list[i].Color = s.nameOf(list[i].Receiver)
	}
	if err := s.putConversations(ctx, list, true); err != nil {
		return err
	}
	s.hub.Publish(EventConversationsChanged, ConversationsEvent{Conversations: list, Replace: true})
	return nil
}
