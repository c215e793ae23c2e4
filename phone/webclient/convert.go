package webclient

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// The wire message id and sortKey of a message is its store Seq in decimal,
// the phone's local message id (as the Android app uses its database id).

// messageOf converts a stored message to a message object, with its quote
// (a text that starts with a v2 quote, e2e.ParseQuote) resolved in the
// phone's store.
func (s *Session) messageOf(m store.Message) wc.Message {
	out := storedMessageOf(m)
	if out.Type != wc.MessageText {
		return out
	}
	quoted, text, ok := e2e.ParseQuote(m.Body)
	if !ok {
		return out
	}
	out.Body = text
	out.Quote = quoteOf(s.srv.ctx, s.srv.p.Store(), m.Conversation, quoted)
	return out
}

// quoteOf is the quote object of the message with id quoted: its sender and
// text, and the id as the Threema apps show it (16 hex digits). A message the
// phone does not have, or that was deleted for everyone, is quoted without
// sender, as the Android app does for a deleted or unknown one.
func quoteOf(ctx context.Context, st *store.Store, conversation string, quoted uint64) *wc.Quote {
	var id [8]byte
	binary.LittleEndian.PutUint64(id[:], quoted)
	q := &wc.Quote{MessageID: hex.EncodeToString(id[:]), Text: "…"}
	qm, err := st.MessageInConversation(ctx, conversation, quoted)
	if err != nil || !qm.DeletedAt.IsZero() {
		return q
	}
	q.Identity = qm.Sender
	switch m := storedMessageOf(qm); {
	case m.Type == wc.MessageText:
		_, q.Text, _ = e2e.ParseQuote(qm.Body)
	case m.Caption != "":
		q.Text = m.Caption
	case m.File != nil:
		q.Text = m.File.Name
	}
	if len(q.Text) > maxQuoteText {
		q.Text = truncateUTF8(q.Text, maxQuoteText) + "…"
	}
	return q
}

// maxQuoteText bounds a quote's text (the Android app cuts at 256 characters).
const maxQuoteText = 256

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// storedMessageOf converts a stored message to a message object (without
// resolving a quote: see Session.messageOf).
func storedMessageOf(m store.Message) wc.Message {
	out := wc.Message{
		Type: wc.MessageUnknown, ID: strconv.FormatInt(m.Seq, 10), Body: m.Body,
		Date: m.CreatedAt.Unix(), SortKey: m.Seq, PartnerID: m.Sender, IsOutbox: m.Outgoing,
		Unread: !m.Outgoing && m.ReadAt.IsZero(), State: stateOf(m),
	}
	switch m.Type {
	case e2e.TypeText, e2e.TypeGroupText:
		out.Type = wc.MessageText
	case e2e.TypeLocation, e2e.TypeGroupLocation:
		out.Type = wc.MessageLocation
	case e2e.TypeFile, e2e.TypeGroupFile:
		out.Type, out.Body = wc.MessageFile, ""
		out.Caption = m.Body
		if fi, err := phone.FileInfoOf(m); err == nil {
			out.File = &wc.FileInfo{Name: fi.Name, Size: fi.Size, Type: fi.MIME, InApp: fi.Rendering == int(e2e.RenderingMedia)}
			if fi.ThumbnailBlobID != "" {
				// The preview itself comes with request/thumbnail.
				out.Thumbnail = &wc.Thumbnail{Width: uint32(max(fi.Width, 0)), Height: uint32(max(fi.Height, 0))}
				// An image sent "as a file" (rendering 0) stays a file with a
				// thumbnail, as the Android app converts it (Message.java).
				if strings.HasPrefix(fi.MIME, "image/") && fi.Rendering != int(e2e.RenderingFile) {
					out.Type = wc.MessageImage
				}
			}
			if phone.IsAudio(fi.MIME) && fi.Rendering == int(e2e.RenderingMedia) {
				// A voice message: Threema Web's audio type with its length
				// (the file object stays, for the name and size).
				out.Type = wc.MessageAudio
				out.Audio = &wc.Media{Duration: uint32(math.Round(max(fi.Duration, 0)))}
			}
		}
	}
	if out.Type == wc.MessageUnknown {
		out.Body = ""
	}
	if !m.EditedAt.IsZero() {
		out.LastEditedAt = m.EditedAt.Unix()
	}
	out.Events = eventsOf(m)
	out.EmojiReactions = reactionBuckets(m.Reactions)
	return out
}

// reactionBuckets groups a message's reactions (newest first) into the
// emojiReactions of the Web protocol: one bucket per emoji with the
// identities that reacted with it, ordered by their newest reaction (AND
// EmojiReactionConverterUtil). nil when there are none.
func reactionBuckets(rs []store.Reaction) []wc.EmojiReaction {
	var out []wc.EmojiReaction
	at := make(map[string]int)
	for _, r := range rs {
		i, ok := at[r.Emoji]
		if !ok {
			if len(out) == wc.MaxReactionBuckets || len(r.Emoji) > wc.MaxReactionEmojiBytes {
				continue
			}
			i = len(out)
			at[r.Emoji] = i
			out = append(out, wc.EmojiReaction{Emoji: r.Emoji})
		}
		if len(out[i].Identities) < wc.MaxReactionIdentities && wc.ValidIdentity(r.Identity) {
			out[i].Identities = append(out[i].Identities, r.Identity)
		}
	}
	return out
}

// stateOf maps a store state to a wire state. The phone announces
// capabilities.emojiReactions, so an agree/decline is a thumbs up/down in
// emojiReactions and the state is never user-ack or user-dec (docs/phone.md).
func stateOf(m store.Message) wc.MessageState {
	switch m.State {
	case store.StateSending:
		return wc.StateSending
	case store.StateSent:
		return wc.StateSent
	case store.StateDelivered:
		return wc.StateDelivered
	case store.StateRead:
		return wc.StateRead
	case store.StateFailed:
		return wc.StateSendFailed
	}
	return wc.StateDelivered
}

// receiverOf is the receiver addressing of a conversation key.
func receiverOf(key string) (wc.Receiver, bool) {
	if creator, gid, ok := store.ParseGroupKey(key); ok {
		return wc.Receiver{Type: wc.ReceiverGroup, ID: groupWireID(creator, gid)}, true
	}
	if id, ok := parseListKey(key); ok {
		return wc.Receiver{Type: wc.ReceiverDistributionList, ID: strconv.FormatInt(id, 10)}, true
	}
	if wc.ValidIdentity(key) {
		return wc.Receiver{Type: wc.ReceiverContact, ID: key}, true
	}
	return wc.Receiver{}, false
}

// conversationKey is the conversation key a receiver addresses.
func (s *Session) conversationKey(ctx context.Context, r wc.Receiver) (string, error) {
	switch r.Type {
	case wc.ReceiverContact:
		if _, err := s.srv.p.Store().Contact(ctx, r.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return "", wc.ErrInvalidContact
			}
			return "", err
		}
		return store.ContactKey(r.ID), nil
	case wc.ReceiverGroup:
		g, err := s.group(ctx, r.ID)
		if err != nil {
			return "", err
		}
		return store.GroupKey(g.Creator, g.ID), nil
	case wc.ReceiverDistributionList:
		l, err := s.list(ctx, r.ID)
		if err != nil {
			return "", err
		}
		return l.Key(), nil
	}
	return "", wc.ErrInvalidConversation
}

// groupWireID is a group's id on the Web protocol: 16 hex digits of
// SHA-256(creator ‖ group id). A group is identified by its creator and the
// creator's id together, so two groups with the same id from different
// creators (an attacker can choose any id) never share a wire id.
func groupWireID(creator string, id uint64) string {
	h := sha256.New()
	h.Write([]byte(creator))
	_ = binary.Write(h, binary.BigEndian, id)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// group finds a group by its wire id.
func (s *Session) group(ctx context.Context, id string) (store.Group, error) {
	if len(id) != 16 {
		return store.Group{}, wc.ErrInvalidGroup
	}
	gs, err := s.srv.p.Groups(ctx)
	if err != nil {
		return store.Group{}, err
	}
	for _, g := range gs {
		if groupWireID(g.Creator, g.ID) == strings.ToLower(id) {
			return g, nil
		}
	}
	return store.Group{}, wc.ErrInvalidGroup
}

// contactOf converts a contact to a contact receiver object. Its display
// name is the one the Threema apps show (store.Contact.DisplayName: the
// user's name for it, else "~" and its nickname, else its ID); firstName and
// lastName are the user's name in its two parts, publicNickname the
// nickname as the contact sent it.
func contactOf(c store.Contact) wc.Contact {
	state := "ACTIVE"
	switch c.State {
	case store.ContactState(1):
		state = "INACTIVE"
	case store.ContactState(2):
		state = "INVALID"
	}
	lvl := uint8(c.Verification)
	if lvl < 1 || lvl > 3 {
		lvl = 1
	}
	return wc.Contact{
		ReceiverBase: wc.ReceiverBase{ID: c.ID, DisplayName: cutUTF8(c.DisplayName(), wc.MaxDisplayName), Color: contactColor(c.ID),
			Access: wc.ReceiverAccess{CanDelete: true, CanChangeFirstName: true, CanChangeLastName: true}, Visible: true},
		PublicNickname: cutUTF8(c.Nickname, wc.MaxNicknameBytes), FirstName: c.FirstName, LastName: c.LastName,
		VerificationLevel: lvl, State: state, FeatureMask: c.FeatureMask,
		PublicKey: append([]byte(nil), c.PublicKey[:]...), IsBlocked: c.Blocked,
	}
}

// cutUTF8 shortens s to at most n bytes without splitting a character (a
// first and a last name of 256 bytes each exceed the display name's 512).
func cutUTF8(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// groupOf converts a group to a group receiver object.
func groupOf(g store.Group, self string) wc.Group {
	name := g.Name
	if name == "" {
		name = g.Creator
	}
	members := append([]string{g.Creator}, g.Members...)
	if g.Creator != self && !g.Left {
		members = append(members, self)
	}
	id := groupWireID(g.Creator, g.ID)
	// What the web may offer, as the Android app's group converter says it:
	// the creator changes a group it is still in; a member leaves; the
	// creator, or anyone who has left, deletes it.
	own, in := g.Creator == self, !g.Left
	access := wc.ReceiverAccess{CanDelete: own || !in, CanChangeAvatar: own && in, CanChangeName: own && in,
		CanChangeMembers: own && in, CanSync: own && in, CanLeave: in}
	return wc.Group{
		ReceiverBase: wc.ReceiverBase{ID: id, DisplayName: name, Color: groupColor(g.Creator, g.ID), Access: access, Visible: true},
		Disabled:     g.Left, Members: members, Administrator: g.Creator, CreatedAt: g.CreatedAt.Unix(),
	}
}

// eventsOf lists when a message was sent, delivered and read, as the
// Android app's message events do (AND converter/Message.java); nil when
// nothing is known.
func eventsOf(m store.Message) []wc.MessageEvent {
	var out []wc.MessageEvent
	if m.Outgoing && !m.CreatedAt.IsZero() && m.State != store.StateSending && m.State != store.StateFailed {
		out = append(out, wc.MessageEvent{Type: "sent", Date: m.CreatedAt.Unix()})
	}
	if !m.DeliveredAt.IsZero() {
		out = append(out, wc.MessageEvent{Type: "delivered", Date: m.DeliveredAt.Unix()})
	}
	if !m.ReadAt.IsZero() {
		out = append(out, wc.MessageEvent{Type: "read", Date: m.ReadAt.Unix()})
	}
	return out
}
