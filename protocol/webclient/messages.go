package webclient

import (
	"fmt"
	"math"
)

// Message limits.
const (
	// MaxTextBytes bounds a text message body: 6000 bytes, as the E2E text
	// message (issue 5; AND ProtocolDefines).
	MaxTextBytes = 6000
	// MaxMessageIDLen bounds a message id string.
	MaxMessageIDLen = 64
	// MaxMessagesPerPage bounds the messages of one response/ or update/messages.
	MaxMessagesPerPage = 1000
	// maxQuoteText bounds a quote's text (a quoted body or caption).
	maxQuoteText = MaxTextBytes
)

// MessageType is a message object's type (WEB threema.d.ts MessageType).
type MessageType string

// The message types of threema.d.ts.
const (
	MessageText       MessageType = "text"
	MessageImage      MessageType = "image"
	MessageVideo      MessageType = "video"
	MessageAudio      MessageType = "audio"
	MessageLocation   MessageType = "location"
	MessageContact    MessageType = "contact"
	MessageStatus     MessageType = "status"
	MessageBallot     MessageType = "ballot"
	MessageFile       MessageType = "file"
	MessageVoipStatus MessageType = "voipStatus"
	MessageUnknown    MessageType = "unknown"
)

var messageTypes = [...]string{"text", "image", "video", "audio", "location", "contact", "status",
	"ballot", "file", "voipStatus", "unknown"}

// MessageState is a message's delivery state (WEB threema.d.ts MessageState).
type MessageState string

// The message states of threema.d.ts, plus consumed (voice messages played).
const (
	StatePending    MessageState = "pending"
	StateSending    MessageState = "sending"
	StateSendFailed MessageState = "send-failed"
	StateSent       MessageState = "sent"
	StateDelivered  MessageState = "delivered"
	StateRead       MessageState = "read"
	StateUserAck    MessageState = "user-ack"
	StateUserDec    MessageState = "user-dec"
	StateConsumed   MessageState = "consumed"
)

var messageStates = [...]string{string(StatePending), string(StateSending), string(StateSendFailed), string(StateSent),
	string(StateDelivered), string(StateRead), string(StateUserAck), string(StateUserDec), string(StateConsumed)}

// Quote is a quoted message: the quoted sender's identity, the quoted text
// and, when known, the quoted message's id.
type Quote struct {
	Identity  string
	Text      string
	MessageID string
}

func (q *Quote) encode() map[string]any {
	s := set{"identity": q.Identity, "text": q.Text}
	if q.Identity == "" {
		s["identity"] = nil // the quoted message is gone
	}
	s.maybeStr("messageId", q.MessageID)
	return s
}

// decodeQuote reads an optional quote. A quote never fails its message:
// one that does not decode is dropped and noted (the Android app sends the
// text without it, too). A nil identity is a quote whose message was
// deleted or not found (the Android app's v2 quotes): Identity is then
// empty and Text the app's placeholder.
func decodeQuote(o *obj) *Quote {
	q := o.sub("quote", false)
	if q == nil {
		return nil
	}
	out := &Quote{
		Identity:  q.str("identity", false, 8),
		Text:      q.str("text", true, maxQuoteText),
		MessageID: q.text("messageId", MaxMessageIDLen),
	}
	if q.err == nil && q.has("identity") && !ValidIdentity(out.Identity) {
		q.fail(ErrField, "identity", "is not a Threema ID")
	}
	if q.err != nil {
		o.notes.add(o.where + ".quote skipped: " + q.err.Error())
		return nil
	}
	return out
}

// FileInfo is a message's file object (WEB threema.d.ts FileInfo).
type FileInfo struct {
	Name  string
	Size  uint64
	Type  string // MIME type
	InApp bool
}

// Thumbnail is a message's thumbnail object: a small preview and the
// thumbnail's size (the full thumbnail comes with request/thumbnail).
type Thumbnail struct {
	Preview []byte
	Width   uint32
	Height  uint32
}

// Location is a location message's position.
type Location struct {
	Lat         float64
	Lon         float64
	Accuracy    float64
	Description string
	Address     string
}

// MessageEvent is one entry of a message's events: created, sent, delivered,
// read, acked or modified, with its Unix time in seconds (WEB threema.d.ts MessageEvent).
type MessageEvent struct {
	Type string
	Date int64
}

var eventTypes = [...]string{"created", "sent", "delivered", "read", "acked", "modified"}

// Media is the video or audio object of a message: duration in seconds and,
// for videos, the size in bytes (0: not sent).
type Media struct {
	Duration uint32
	Size     uint64
}

// Message is a message object (WEB threema.d.ts Message; AND converter/Message.java).
// SortKey orders messages of a conversation (the app's local message id).
type Message struct {
	Type       MessageType
	ID         string
	Body       string
	Caption    string
	Date       int64 // Unix seconds
	SortKey    int64
	PartnerID  string
	IsOutbox   bool
	IsStatus   bool
	StatusType string // "text" or "firstUnreadMessage", for status messages
	Unread     bool
	State      MessageState
	Events     []MessageEvent
	Video      *Media
	Audio      *Media
	Quote      *Quote
	File       *FileInfo
	Thumbnail  *Thumbnail
	Location   *Location
	// EmojiReactions are the reaction buckets, newest first (omitted when
	// empty; an app with capabilities.emojiReactions sends them).
	EmojiReactions []EmojiReaction
	// LastEditedAt is when the message was last edited, Unix seconds (0:
	// never; the key is then omitted).
	LastEditedAt int64
}

func (m *Message) encode() map[string]any {
	s := set{"type": string(m.Type), "id": m.ID, "sortKey": m.SortKey, "isOutbox": m.IsOutbox, "isStatus": m.IsStatus}
	s.maybeStr("body", m.Body)
	s.maybeStr("caption", m.Caption)
	if m.Date != 0 {
		s["date"] = m.Date
	}
	s.maybeStr("partnerId", m.PartnerID)
	s.maybeTrue("unread", m.Unread)
	s.maybeStr("state", string(m.State))
	s.maybeStr("statusType", m.StatusType)
	if len(m.Events) > 0 {
		ev := make([]any, 0, len(m.Events))
		for _, e := range m.Events {
			ev = append(ev, map[string]any{"type": e.Type, "date": e.Date})
		}
		s["events"] = ev
	}
	if m.Video != nil {
		v := set{"duration": m.Video.Duration}
		if m.Video.Size != 0 {
			v["size"] = m.Video.Size
		}
		s["video"] = map[string]any(v)
	}
	if m.Audio != nil {
		s["audio"] = map[string]any{"duration": m.Audio.Duration}
	}
	if m.Quote != nil {
		s["quote"] = m.Quote.encode()
	}
	if m.File != nil {
		s["file"] = map[string]any{"name": m.File.Name, "size": m.File.Size, "type": m.File.Type, "inApp": m.File.InApp}
	}
	if m.Thumbnail != nil {
		s["thumbnail"] = map[string]any{"preview": m.Thumbnail.Preview, "width": m.Thumbnail.Width, "height": m.Thumbnail.Height}
	}
	if m.Location != nil {
		l := set{"lat": m.Location.Lat, "lon": m.Location.Lon, "accuracy": m.Location.Accuracy, "description": m.Location.Description}
		l.maybeStr("address", m.Location.Address)
		s["location"] = map[string]any(l)
	}
	if len(m.EmojiReactions) > 0 {
		s["emojiReactions"] = encodeEmojiReactions(m.EmojiReactions)
	}
	if m.LastEditedAt != 0 {
		s["lastEditedAt"] = m.LastEditedAt
	}
	return s
}

func decodeMessage(n *notes, where string, v any) (Message, error) {
	o, err := asObj(where, v, true, n)
	if err != nil {
		return Message{}, err
	}
	m := Message{
		Type:       MessageType(o.oneOf("type", true, messageTypes[:]...)),
		ID:         o.str("id", true, MaxMessageIDLen),
		Body:       o.str("body", false, MaxTextBytes),
		Caption:    o.str("caption", false, MaxTextBytes),
		Date:       o.int("date", false),
		SortKey:    o.int("sortKey", false),
		PartnerID:  o.str("partnerId", false, 8),
		IsOutbox:   o.boolean("isOutbox", true),
		IsStatus:   o.boolean("isStatus", false),
		Unread:     o.boolean("unread", false),
		State:      MessageState(o.oneOf("state", false, messageStates[:]...)),
		StatusType: o.oneOf("statusType", false, "text", "firstUnreadMessage"),
		Quote:      decodeQuote(o),
		Video:      decodeMedia(o, "video"),
		Audio:      decodeMedia(o, "audio"),

		EmojiReactions: decodeEmojiReactions(o),
		LastEditedAt:   optInt(o, "lastEditedAt"),
	}
	for i, v := range o.array("events", false, 16) {
		e, err := asObj(fmt.Sprintf("%s.events[%d]", where, i), v, true, n)
		if err != nil {
			return Message{}, err
		}
		ev := MessageEvent{Type: e.oneOf("type", true, eventTypes[:]...), Date: e.int("date", true)}
		if e.err != nil {
			return Message{}, e.err
		}
		m.Events = append(m.Events, ev)
	}
	if f := o.sub("file", false); f != nil {
		m.File = &FileInfo{Name: f.str("name", true, MaxNameBytes*4), Size: f.uint("size", true, math.MaxInt64),
			Type: f.str("type", true, 256), InApp: f.boolean("inApp", false)}
		if f.err != nil {
			return Message{}, f.err
		}
	}
	if t := o.sub("thumbnail", false); t != nil {
		m.Thumbnail = &Thumbnail{Preview: t.bin("preview", false, MaxThumbnailBytes),
			Width: uint32(t.uint("width", false, math.MaxUint32)), Height: uint32(t.uint("height", false, math.MaxUint32))}
		if t.err != nil {
			return Message{}, t.err
		}
	}
	if l := o.sub("location", false); l != nil {
		m.Location = &Location{Lat: l.float("lat", true), Lon: l.float("lon", true), Accuracy: l.float("accuracy", false),
			Description: l.str("description", false, 1024), Address: l.str("address", false, 1024)}
		if l.err != nil {
			return Message{}, l.err
		}
		if math.Abs(m.Location.Lat) > 90 || math.Abs(m.Location.Lon) > 180 {
			return Message{}, fmt.Errorf("%w: %s.location out of range", ErrField, where)
		}
	}
	if o.err != nil {
		return Message{}, o.err
	}
	if m.PartnerID != "" && !ValidIdentity(m.PartnerID) {
		return Message{}, fmt.Errorf("%w: %s.partnerId is not a Threema ID", ErrField, where)
	}
	return m, nil
}

// optInt reads an informative optional integer: anything else is ignored
// and noted.
func optInt(o *obj, key string) int64 {
	v, ok := o.get(key, false)
	if !ok {
		return 0
	}
	i, isInt := asInt(v)
	if !isInt {
		o.notes.add(o.where + "." + key + " ignored: is not an integer")
		return 0
	}
	return i
}

func decodeMedia(o *obj, key string) *Media {
	x := o.sub(key, false)
	if x == nil {
		return nil
	}
	md := &Media{Duration: uint32(x.uint("duration", true, math.MaxUint32)), Size: x.uint("size", false, math.MaxInt64)}
	if x.err != nil {
		if o.err == nil {
			o.err = x.err
		}
		return nil
	}
	return md
}

func encodeMessages(ms []Message) []any {
	out := make([]any, 0, len(ms))
	for i := range ms {
		out = append(out, ms[i].encode())
	}
	return out
}

// decodeMessages decodes an array of message objects. A message that does
// not decode (a type this codec does not know, a missing required field) is
// skipped and noted, so one odd message does not hide a whole page.
func decodeMessages(n *notes, data any) ([]Message, error) {
	a, ok := data.([]any)
	if !ok {
		if data == nil {
			return []Message{}, nil
		}
		return nil, fmt.Errorf("%w: data is not an array", ErrField)
	}
	if len(a) > MaxMessagesPerPage {
		return nil, fmt.Errorf("%w: %d messages, limit %d", ErrTooLong, len(a), MaxMessagesPerPage)
	}
	out := make([]Message, 0, len(a))
	for i, v := range a {
		msg, err := decodeMessage(n, fmt.Sprintf("data[%d]", i), v)
		if err != nil {
			n.add(fmt.Sprintf("data[%d] skipped: %v", i, err))
			continue
		}
		out = append(out, msg)
	}
	return out, nil
}

// MessagesRequest is request/messages: args {type, id, refMsgId?} — the
// messages older than refMsgId, or the newest page without it.
type MessagesRequest struct {
	Receiver Receiver
	RefMsgID string
}

// NewMessagesRequest builds request/messages.
func NewMessagesRequest(id string, r MessagesRequest) WireMessage {
	a := set{}
	r.Receiver.put(a)
	a.maybeStr("refMsgId", r.RefMsgID)
	return WireMessage{Type: TypeRequest, SubType: SubMessages, ID: id, Args: a}
}

// DecodeMessagesRequest decodes request/messages.
func DecodeMessagesRequest(m WireMessage) (MessagesRequest, error) {
	if err := expect(m, TypeRequest, SubMessages); err != nil {
		return MessagesRequest{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return MessagesRequest{}, err
	}
	r := MessagesRequest{RefMsgID: refMsgID(a)}
	if r.Receiver, err = receiverFrom(a); err != nil {
		return MessagesRequest{}, fmt.Errorf("webclient: messages request: %w", err)
	}
	return r, nil
}

// refMsgID reads args.refMsgId, which older apps send as an integer.
func refMsgID(a *obj) string {
	v, ok := a.get("refMsgId", false)
	if !ok {
		return ""
	}
	if _, isStr := v.(string); isStr {
		return a.str("refMsgId", true, MaxMessageIDLen)
	}
	return fmt.Sprint(a.uint("refMsgId", true, math.MaxInt64))
}

// MessagesResponse is response/messages: args {type, id, more}, data the
// page of message objects, oldest first.
type MessagesResponse struct {
	Receiver Receiver
	More     bool
	Messages []Message
}

// NewMessagesResponse builds response/messages answering req.
func NewMessagesResponse(req WireMessage, r MessagesResponse) WireMessage {
	a := set{"more": r.More}
	r.Receiver.put(a)
	return Reply(req, TypeResponse, SubMessages, a, encodeMessages(r.Messages), nil)
}

// DecodeMessagesResponse decodes response/messages.
func DecodeMessagesResponse(m WireMessage) (MessagesResponse, error) {
	if err := expect(m, TypeResponse, SubMessages); err != nil {
		return MessagesResponse{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return MessagesResponse{}, err
	}
	r := MessagesResponse{More: a.boolean("more", true)}
	if r.Receiver, err = receiverFrom(a); err != nil {
		return MessagesResponse{}, fmt.Errorf("webclient: messages response: %w", err)
	}
	if r.Messages, err = decodeMessages(m.notes, m.Data); err != nil {
		return MessagesResponse{}, fmt.Errorf("webclient: messages response: %w", err)
	}
	return r, nil
}

// MessagesUpdate is update/messages: args {type, id, mode}, data the new,
// modified or removed message objects.
type MessagesUpdate struct {
	Receiver Receiver
	Mode     Mode
	Messages []Message
}

// NewMessagesUpdate builds update/messages.
func NewMessagesUpdate(u MessagesUpdate) WireMessage {
	a := set{"mode": string(u.Mode)}
	u.Receiver.put(a)
	return WireMessage{Type: TypeUpdate, SubType: SubMessages, Args: a, Data: encodeMessages(u.Messages)}
}

// DecodeMessagesUpdate decodes update/messages.
func DecodeMessagesUpdate(m WireMessage) (MessagesUpdate, error) {
	if err := expect(m, TypeUpdate, SubMessages); err != nil {
		return MessagesUpdate{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return MessagesUpdate{}, err
	}
	u := MessagesUpdate{Mode: decodeMode(a)}
	if u.Receiver, err = receiverFrom(a); err != nil {
		return MessagesUpdate{}, fmt.Errorf("webclient: messages update: %w", err)
	}
	if u.Messages, err = decodeMessages(m.notes, m.Data); err != nil {
		return MessagesUpdate{}, fmt.Errorf("webclient: messages update: %w", err)
	}
	return u, nil
}

// MessageRef addresses one message of a conversation: args {type, id,
// messageId}. It is the payload of request/read (the newest read message),
// request/thumbnail, request/blob and delete/message.
type MessageRef struct {
	Key       Key
	Receiver  Receiver
	MessageID string
}

// NewMessageRef builds one of request/read, request/thumbnail, request/blob, delete/message.
func NewMessageRef(id string, r MessageRef) WireMessage {
	a := set{"messageId": r.MessageID}
	r.Receiver.put(a)
	return WireMessage{Type: r.Key.Type, SubType: r.Key.SubType, ID: id, Args: a}
}

func decodeRef(m WireMessage) (MessageRef, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return MessageRef{}, err
	}
	r := MessageRef{Key: Key{m.Type, m.SubType}, MessageID: refID(a, "messageId")}
	if a.err != nil {
		return MessageRef{}, fmt.Errorf("webclient: %s: %w", m.SubType, a.err)
	}
	if r.Receiver, err = receiverFrom(a); err != nil {
		return MessageRef{}, fmt.Errorf("webclient: %s: %w", m.SubType, err)
	}
	return r, nil
}

// refID reads a required message id given as a string or an integer.
func refID(a *obj, key string) string {
	v, ok := a.get(key, true)
	if !ok {
		return ""
	}
	if _, isStr := v.(string); isStr {
		s := a.str(key, true, MaxMessageIDLen)
		if s == "" {
			a.fail(ErrField, key, "is empty")
		}
		return s
	}
	return fmt.Sprint(a.uint(key, true, math.MaxInt64))
}

// DecodeMessageRef decodes request/read, request/thumbnail or request/blob.
func DecodeMessageRef(m WireMessage) (MessageRef, error) {
	if err := expect(m, TypeRequest, SubRead, SubThumbnail, SubBlob); err != nil {
		return MessageRef{}, err
	}
	return decodeRef(m)
}

// DecodeDeleteMessage decodes delete/message.
func DecodeDeleteMessage(m WireMessage) (MessageRef, error) {
	if err := expect(m, TypeDelete, SubMessage); err != nil {
		return MessageRef{}, err
	}
	return decodeRef(m)
}

// AckRequest is request/ack, the user's acknowledge or decline of a message:
// args {type, id, messageId, acknowledged}.
type AckRequest struct {
	Receiver     Receiver
	MessageID    string
	Acknowledged bool
}

// NewAckRequest builds request/ack.
func NewAckRequest(id string, r AckRequest) WireMessage {
	a := set{"messageId": r.MessageID, "acknowledged": r.Acknowledged}
	r.Receiver.put(a)
	return WireMessage{Type: TypeRequest, SubType: SubAck, ID: id, Args: a}
}

// DecodeAckRequest decodes request/ack.
func DecodeAckRequest(m WireMessage) (AckRequest, error) {
	if err := expect(m, TypeRequest, SubAck); err != nil {
		return AckRequest{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return AckRequest{}, err
	}
	r := AckRequest{MessageID: refID(a, "messageId"), Acknowledged: a.boolean("acknowledged", true)}
	if a.err != nil {
		return AckRequest{}, fmt.Errorf("webclient: ack request: %w", a.err)
	}
	if r.Receiver, err = receiverFrom(a); err != nil {
		return AckRequest{}, fmt.Errorf("webclient: ack request: %w", err)
	}
	return r, nil
}
