package app

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"

	"github.com/kurier/kurier/protocol/cryptobox"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// Conversions from the Threema Web protocol's objects to what the UI sees.

func receiverOf(r wc.Receiver) Receiver { return Receiver{Type: string(r.Type), ID: r.ID} }

func (r Receiver) wire() wc.Receiver { return wc.Receiver{Type: wc.ReceiverType(r.Type), ID: r.ID} }

func fingerprintOf(key []byte) string {
	pk, err := cryptobox.ParsePublicKey(key)
	if err != nil {
		return ""
	}
	fp := pk.Fingerprint()
	var grouped []byte
	for i := 0; i < len(fp); i += 4 {
		if i > 0 {
			grouped = append(grouped, ' ')
		}
		grouped = append(grouped, fp[i:min(i+4, len(fp))]...)
	}
	return string(grouped)
}

func contactOf(c wc.Contact) Contact {
	name := c.DisplayName
	if name == "" {
		name = c.ID
	}
	return Contact{
		ID: c.ID, Name: name, Nickname: c.PublicNickname, FirstName: c.FirstName, LastName: c.LastName,
		VerificationLevel: int(c.VerificationLevel), PublicKey: hex.EncodeToString(c.PublicKey),
		Fingerprint: fingerprintOf(c.PublicKey), State: c.State, Blocked: c.IsBlocked, Color: c.Color,
	}
}

func groupOf(g wc.Group) Group {
	return Group{ID: g.ID, Name: g.DisplayName, Members: nonNilStrings(g.Members), Administrator: g.Administrator,
		Left: g.Disabled, Color: g.Color}
}

func listOf(l wc.DistributionList) DistributionList {
	return DistributionList{ID: l.ID, Name: l.DisplayName, Members: nonNilStrings(l.Members), Color: l.Color}
}

func receiversOf(r wc.Receivers) Receivers {
	out := Receivers{Contacts: []Contact{}, Groups: []Group{}, DistributionLists: []DistributionList{}}
	for _, c := range r.Contacts {
		out.Contacts = append(out.Contacts, contactOf(c))
	}
	for _, g := range r.Groups {
		out.Groups = append(out.Groups, groupOf(g))
	}
	for _, l := range r.DistributionLists {
		out.DistributionLists = append(out.DistributionLists, listOf(l))
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// messageOf converts a message of the conversation with r; self is the
// user's own identity (the sender of outgoing messages).
func messageOf(r Receiver, m wc.Message, self string) Message {
	out := Message{
		ID: m.ID, Receiver: r, Type: string(m.Type), Outgoing: m.IsOutbox, Sender: m.PartnerID,
		Text: m.Body, Date: m.Date * 1000, SortKey: m.SortKey, State: string(m.State), Unread: m.Unread,
	}
	if m.IsStatus {
		out.Type = string(wc.MessageStatus)
	}
	if m.IsOutbox {
		out.Sender = self
	}
	if out.Sender == "" && r.Type == ReceiverContact {
		out.Sender = r.ID
	}
	if m.Caption != "" {
		out.Text = m.Caption
	}
	if m.Quote != nil {
		out.Quote = &Quote{Identity: m.Quote.Identity, Text: m.Quote.Text, MessageID: m.Quote.MessageID}
	}
	if m.File != nil {
		out.File = &FileInfo{Name: m.File.Name, Size: int64(m.File.Size), Mime: m.File.Type}
	}
	if m.Thumbnail != nil {
		if out.File == nil {
			out.File = &FileInfo{Mime: "image/jpeg"}
		}
		out.File.Thumbnail = true
		out.File.Width, out.File.Height = int(m.Thumbnail.Width), int(m.Thumbnail.Height)
	}
	if m.Audio != nil {
		// A voice message; a Threema phone may send it without a file
		// object (Threema Web plays such a blob as Ogg).
		if out.File == nil {
			out.File = &FileInfo{Mime: "audio/ogg"}
		}
		out.File.Duration = int(m.Audio.Duration)
	}
	if m.Location != nil {
		out.Location = &Location{Lat: m.Location.Lat, Lon: m.Location.Lon, Description: m.Location.Description}
	}
	out.Reactions = reactionsOf(m, r, self)
	out.Edited = m.LastEditedAt * 1000
	for _, e := range m.Events {
		switch e.Type {
		case "sent":
			out.Sent = e.Date * 1000
		case "delivered":
			out.Delivered = e.Date * 1000
		case "read":
			out.Read = e.Date * 1000
		}
	}
	return out
}

// conversationOf converts a conversation; name comes from the receivers.
func conversationOf(c wc.Conversation, name, color, self string) Conversation {
	r := receiverOf(c.Receiver)
	out := Conversation{Receiver: r, Name: name, Color: color, UnreadCount: int(c.UnreadCount), Pinned: c.IsStarred}
	if c.Notifications != nil {
		out.Muted = c.Notifications.DNDMode == "on" || c.Notifications.DNDMode == "until"
	}
	if len(c.Avatar) > 0 {
		out.Avatar = dataURL(c.Avatar)
	}
	if c.LatestMessage != nil {
		m := messageOf(r, *c.LatestMessage, self)
		out.LastMessage = &m
		out.LastActivity = m.Date
	}
	return out
}

// dataURL encodes bytes as a data: URL with their sniffed content type.
func dataURL(b []byte) string {
	return "data:" + http.DetectContentType(b) + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// reactionsOf converts a message's reactions: the emojiReactions of an app
// that has them, else the agree/decline state of an older app (user-ack or
// user-dec, which is the other side's thumb in a 1:1 chat).
func reactionsOf(m wc.Message, r Receiver, self string) []Reaction {
	out := make([]Reaction, 0, len(m.EmojiReactions))
	for _, b := range m.EmojiReactions {
		out = append(out, Reaction{Emoji: b.Emoji, Identities: nonNilStrings(b.Identities)})
	}
	if len(out) > 0 || r.Type != ReceiverContact {
		return out
	}
	who := r.ID // on an own message, the peer agreed
	if !m.IsOutbox {
		who = self // on the peer's message, the user did
	}
	switch m.State {
	case wc.StateUserAck:
		out = append(out, Reaction{Emoji: ThumbsUp, Identities: []string{who}})
	case wc.StateUserDec:
		out = append(out, Reaction{Emoji: ThumbsDown, Identities: []string{who}})
	}
	return out
}
