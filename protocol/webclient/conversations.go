package webclient

import (
	"fmt"
	"math"
)

// MaxConversations bounds the conversations of one response/conversations.
const MaxConversations = 100000

// NotificationSettings is a conversation's notification object (WEB
// threema.d.ts NotificationSettings; AND converter/NotificationSettings.java):
// sound {mode: default|muted}, dnd {mode: off|on|until, mentionOnly?, until?}.
type NotificationSettings struct {
	SoundMode      string
	DNDMode        string
	DNDMentionOnly bool
	DNDUntil       int64 // Unix milliseconds, for mode until
}

func (n *NotificationSettings) encode() map[string]any {
	dnd := set{"mode": n.DNDMode}
	dnd.maybeTrue("mentionOnly", n.DNDMentionOnly)
	if n.DNDUntil != 0 {
		dnd["until"] = n.DNDUntil
	}
	return map[string]any{"sound": map[string]any{"mode": n.SoundMode}, "dnd": map[string]any(dnd)}
}

func decodeNotifications(o *obj) *NotificationSettings {
	ns := o.sub("notifications", false)
	if ns == nil {
		return nil
	}
	n := &NotificationSettings{}
	if s := ns.sub("sound", true); s != nil {
		n.SoundMode = s.oneOf("mode", true, "default", "muted")
		if s.err != nil && ns.err == nil {
			ns.err = s.err
		}
	}
	if d := ns.sub("dnd", true); d != nil {
		n.DNDMode = d.oneOf("mode", true, "off", "on", "until")
		n.DNDMentionOnly = d.boolean("mentionOnly", false)
		n.DNDUntil = d.int("until", n.DNDMode == "until")
		if d.err != nil && ns.err == nil {
			ns.err = d.err
		}
	}
	if ns.err != nil {
		if o.err == nil {
			o.err = ns.err
		}
		return nil
	}
	return n
}

// Conversation is a conversation object (WEB threema.d.ts Conversation; AND
// converter/Conversation.java). IsStarred is the pinned tag.
type Conversation struct {
	Receiver      Receiver
	Position      uint32
	MessageCount  uint32
	UnreadCount   uint32
	LatestMessage *Message
	Notifications *NotificationSettings
	IsStarred     bool
	IsUnread      bool
	Avatar        []byte
}

func (c *Conversation) encode() map[string]any {
	s := set{"position": c.Position, "messageCount": c.MessageCount, "unreadCount": c.UnreadCount, "isUnread": c.IsUnread}
	c.Receiver.put(s)
	if c.LatestMessage != nil {
		s["latestMessage"] = c.LatestMessage.encode()
	}
	if c.Notifications != nil {
		s["notifications"] = c.Notifications.encode()
	}
	s.maybeTrue("isStarred", c.IsStarred)
	s.maybeBin("avatar", c.Avatar)
	return s
}

func decodeConversation(n *notes, where string, v any) (Conversation, error) {
	o, err := asObj(where, v, true, n)
	if err != nil {
		return Conversation{}, err
	}
	c := Conversation{
		Position:      uint32(o.uint("position", false, math.MaxUint32)),
		MessageCount:  uint32(o.uint("messageCount", true, math.MaxUint32)),
		UnreadCount:   uint32(o.uint("unreadCount", true, math.MaxUint32)),
		Notifications: decodeNotifications(o),
		IsStarred:     o.boolean("isStarred", false),
		IsUnread:      o.boolean("isUnread", false),
		Avatar:        o.bin("avatar", false, MaxAvatarBytes),
	}
	if lm, ok := o.get("latestMessage", false); ok {
		// The latest message is a preview: one that does not decode is left out.
		if msg, err := decodeMessage(n, where+".latestMessage", lm); err == nil {
			c.LatestMessage = &msg
		} else {
			n.add(where + ".latestMessage skipped: " + err.Error())
		}
	}
	if o.err != nil {
		return Conversation{}, o.err
	}
	if c.Receiver, err = receiverFrom(o); err != nil {
		return Conversation{}, err
	}
	return c, nil
}

// ConversationsRequest is request/conversations: args {maxSize?}, the avatar
// edge length to inline (§2.4 shows maxSize 48).
type ConversationsRequest struct {
	MaxSize uint32
}

// NewConversationsRequest builds request/conversations.
func NewConversationsRequest(id string, r ConversationsRequest) WireMessage {
	m := WireMessage{Type: TypeRequest, SubType: SubConversations, ID: id}
	if r.MaxSize != 0 {
		m.Args = map[string]any{"maxSize": r.MaxSize}
	}
	return m
}

// DecodeConversationsRequest decodes request/conversations.
func DecodeConversationsRequest(m WireMessage) (ConversationsRequest, error) {
	if err := expect(m, TypeRequest, SubConversations); err != nil {
		return ConversationsRequest{}, err
	}
	a, err := argsOf(m, false)
	if err != nil {
		return ConversationsRequest{}, err
	}
	r := ConversationsRequest{MaxSize: uint32(a.uint("maxSize", false, math.MaxUint16))}
	if a.err != nil {
		return ConversationsRequest{}, fmt.Errorf("webclient: conversations request: %w", a.err)
	}
	return r, nil
}

// NewConversations builds response/conversations answering req.
func NewConversations(req WireMessage, cs []Conversation) WireMessage {
	out := make([]any, 0, len(cs))
	for i := range cs {
		out = append(out, cs[i].encode())
	}
	return Reply(req, TypeResponse, SubConversations, nil, out, nil)
}

// DecodeConversations decodes response/conversations.
func DecodeConversations(m WireMessage) ([]Conversation, error) {
	if err := expect(m, TypeResponse, SubConversations); err != nil {
		return nil, err
	}
	a, ok := m.Data.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: conversations data is not an array", ErrField)
	}
	if len(a) > MaxConversations {
		return nil, fmt.Errorf("%w: %d conversations", ErrTooLong, len(a))
	}
	out := make([]Conversation, 0, len(a))
	for i, v := range a {
		c, err := decodeConversation(m.notes, fmt.Sprintf("data[%d]", i), v)
		if err != nil {
			// One odd conversation must not hide the others.
			m.notes.add(fmt.Sprintf("data[%d] skipped: %v", i, err))
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// ConversationUpdate is update/conversation: args {mode}, data the conversation object.
type ConversationUpdate struct {
	Mode         Mode
	Conversation Conversation
}

// NewConversationUpdate builds update/conversation.
func NewConversationUpdate(u ConversationUpdate) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubConversation, Args: map[string]any{"mode": string(u.Mode)},
		Data: u.Conversation.encode()}
}

// DecodeConversationUpdate decodes update/conversation.
func DecodeConversationUpdate(m WireMessage) (ConversationUpdate, error) {
	if err := expect(m, TypeUpdate, SubConversation); err != nil {
		return ConversationUpdate{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return ConversationUpdate{}, err
	}
	u := ConversationUpdate{Mode: decodeMode(a)}
	if a.err != nil {
		return ConversationUpdate{}, fmt.Errorf("webclient: conversation update: %w", a.err)
	}
	if u.Conversation, err = decodeConversation(m.notes, "data", m.Data); err != nil {
		return ConversationUpdate{}, fmt.Errorf("webclient: conversation update: %w", err)
	}
	return u, nil
}

// ConversationModify is the web's update/conversation: args {type, id},
// data {isStarred?} — Threema Web pins a conversation this way (the app
// answers with response/confirmAction). IsStarred is nil when not sent.
type ConversationModify struct {
	Receiver  Receiver
	IsStarred *bool
}

// NewConversationModify builds the web's update/conversation.
func NewConversationModify(id, temporaryID string, c ConversationModify) WireMessage {
	a := set{}
	c.Receiver.put(a)
	a.maybeStr("temporaryId", temporaryID)
	d := set{}
	if c.IsStarred != nil {
		d["isStarred"] = *c.IsStarred
	}
	return WireMessage{Type: TypeUpdate, SubType: SubConversation, ID: id, Args: map[string]any(a), Data: map[string]any(d)}
}

// DecodeConversationModify decodes the web's update/conversation.
func DecodeConversationModify(m WireMessage) (ConversationModify, error) {
	if err := expect(m, TypeUpdate, SubConversation); err != nil {
		return ConversationModify{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return ConversationModify{}, err
	}
	r, err := receiverFrom(a)
	if err != nil {
		return ConversationModify{}, fmt.Errorf("webclient: conversation modify: %w", err)
	}
	d, err := dataOf(m, false)
	if err != nil {
		return ConversationModify{}, fmt.Errorf("webclient: conversation modify: %w", err)
	}
	c := ConversationModify{Receiver: r}
	if d.has("isStarred") {
		// The Android app answers a non-bool with badRequest; so does this.
		b := d.boolean("isStarred", true)
		c.IsStarred = &b
	}
	if d.err != nil {
		return ConversationModify{}, fmt.Errorf("webclient: conversation modify: %w", d.err)
	}
	return c, nil
}
