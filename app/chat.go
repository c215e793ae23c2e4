package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/search"
	"github.com/kurier/kurier/app/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// Chat limits on what the UI may ask.
const (
	maxPage         = 200
	maxDraftBytes   = 64 << 10
	requestTimeout  = 30 * time.Second
	mediaThumbnail  = "thumb"
	mediaFile       = "file"
	maxSearchResult = 100
)

// ChatService is bound to the UI: conversations, messages, sending, drafts
// and search. It reads the local cache and asks the phone when connected.
type ChatService struct {
	ses   *session
	saver FileSaver
}

func (r Receiver) validate() error {
	if !slices.Contains(ReceiverTypes(), r.Type) || r.wire().Validate() != nil {
		return fmt.Errorf("%w: receiver %s %q", ErrInvalid, r.Type, r.ID)
	}
	return nil
}

func (r Receiver) key() store.Key { return store.Key{Type: r.Type, ID: r.ID} }

func (c *ChatService) reqCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ses.ctx, requestTimeout)
}

// Profile returns the user's identity as the phone reported it last.
func (c *ChatService) Profile() (Profile, error) {
	c.ses.mu.Lock()
	defer c.ses.mu.Unlock()
	return c.ses.profile, nil
}

// Limits returns the sizes the phone accepts.
func (c *ChatService) Limits() (Limits, error) {
	c.ses.mu.Lock()
	defer c.ses.mu.Unlock()
	return c.ses.limits, nil
}

// Conversations returns the conversation list: pinned first, then by activity.
func (c *ChatService) Conversations() ([]Conversation, error) {
	return c.ses.conversations(c.ses.ctx)
}

// Messages returns the page of a conversation's messages older than before
// (the newest page when before is ""), oldest first: from the phone when it
// is connected (and cached), else from the cache.
func (c *ChatService) Messages(r Receiver, before string, limit int) (MessagePage, error) {
	if err := r.validate(); err != nil {
		return MessagePage{}, err
	}
	if limit <= 0 || limit > maxPage {
		limit = 50
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	if conn, err := c.ses.current(); err == nil {
		page, err := c.ses.fetchMessages(ctx, conn, r, before)
		if err == nil {
			return c.withQueued(ctx, r, before, page)
		}
		c.ses.log.Warn("messages from the phone failed; answering from the cache", "err", err)
	}
	recs, more, err := c.ses.store.Messages(ctx, r.key(), before, limit)
	if err != nil && !isNotFound(err) {
		return MessagePage{}, err
	}
	page := MessagePage{Messages: make([]Message, 0, len(recs)), More: more}
	for _, rec := range recs {
		var m Message
		if err := json.Unmarshal(rec.Data, &m); err != nil {
			return MessagePage{}, fmt.Errorf("app: cached message: %w", err)
		}
		page.Messages = append(page.Messages, m)
	}
	return c.withQueued(ctx, r, before, page)
}

// withQueued adds the messages waiting for the phone after the newest page.
func (c *ChatService) withQueued(ctx context.Context, r Receiver, before string, page MessagePage) (MessagePage, error) {
	if before != "" {
		return page, nil
	}
	q, err := c.ses.queued(ctx, r)
	if err != nil {
		return MessagePage{}, err
	}
	page.Messages = append(page.Messages, q...)
	return page, nil
}

// SendText sends a text message (quoting quoteID when not empty) and
// returns it as pending; its progress arrives with EventMessagesChanged.
// While the phone is away (or earlier messages still wait for it) the text
// is queued and returned as StateQueued; it is sent when the phone is back.
func (c *ChatService) SendText(r Receiver, text, quoteID string) (Message, error) {
	if err := r.validate(); err != nil {
		return Message{}, err
	}
	lim, _ := c.Limits()
	if strings.TrimSpace(text) == "" || len(text) > lim.MaxTextBytes || !utf8.ValidString(text) {
		return Message{}, fmt.Errorf("%w: a text must have 1 to %d bytes of UTF-8", ErrInvalid, lim.MaxTextBytes)
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	var m Message
	conn, err := c.ses.current()
	if err == nil && !c.ses.hasQueued(ctx) {
		m, err = c.ses.sendTextOn(ctx, conn, r, text, quoteID)
	} else {
		m, err = c.ses.queue(ctx, outboxEntry{Receiver: r, Text: text, QuoteID: quoteID})
	}
	if err != nil {
		return Message{}, err
	}
	if err := c.ses.store.SetDraft(ctx, r.key(), ""); err != nil {
		c.ses.log.Warn("draft not cleared", "err", err)
	}
	return m, nil
}

// sendTextOn sends a text over conn and returns it as pending.
func (s *session) sendTextOn(ctx context.Context, conn *phonelink.Conn, r Receiver, text, quoteID string) (Message, error) {
	create := wc.TextMessageCreate{Receiver: r.wire(), Text: text, Quote: s.quote(ctx, r, quoteID)}
	reply, err := conn.Request(ctx, wc.NewTextMessageCreate("", create))
	if err != nil {
		return Message{}, err
	}
	created, err := wc.DecodeMessageCreated(reply)
	if err != nil {
		return Message{}, fmt.Errorf("app: send: %w", err)
	}
	m := Message{ID: created.MessageID, Receiver: r, Type: string(wc.MessageText), Outgoing: true, Sender: s.self(),
		Text: text, Date: s.now().UnixMilli(), State: string(wc.StatePending)}
	if q := create.Quote; q != nil {
		m.Quote = &Quote{Identity: q.Identity, Text: q.Text, MessageID: q.MessageID}
	}
	return m, nil
}

// quote looks up the quoted message in the cache (nil when none or unknown).
func (s *session) quote(ctx context.Context, r Receiver, id string) *wc.Quote {
	if id == "" {
		return nil
	}
	rec, err := s.store.Message(ctx, r.key(), id)
	if err != nil {
		return nil
	}
	var m Message
	if json.Unmarshal(rec.Data, &m) != nil || m.Sender == "" {
		return nil
	}
	return &wc.Quote{Identity: m.Sender, Text: m.Text, MessageID: m.ID}
}

// SendFile sends a file (an image shows as one) with an optional caption;
// while the phone is away it is queued as SendText's texts are.
func (c *ChatService) SendFile(r Receiver, f FileUpload) (Message, error) {
	if err := r.validate(); err != nil {
		return Message{}, err
	}
	lim, _ := c.Limits()
	if int64(base64.StdEncoding.DecodedLen(len(f.Data))) > lim.MaxFileBytes+3 {
		return Message{}, fmt.Errorf("%w: the file is larger than %d bytes", ErrInvalid, lim.MaxFileBytes)
	}
	data, err := base64.StdEncoding.DecodeString(f.Data)
	if err != nil {
		return Message{}, fmt.Errorf("%w: file data is not base64", ErrInvalid)
	}
	if len(data) == 0 || int64(len(data)) > lim.MaxFileBytes {
		return Message{}, fmt.Errorf("%w: a file must have 1 to %d bytes", ErrInvalid, lim.MaxFileBytes)
	}
	name := strings.TrimSpace(f.Name)
	if name == "" || len(name) > 255 || len(f.Caption) > lim.MaxTextBytes {
		return Message{}, fmt.Errorf("%w: file name or caption", ErrInvalid)
	}
	mime := f.Mime
	if mime == "" {
		mime = "application/octet-stream"
	}
	duration := f.Duration
	if math.IsNaN(duration) || duration < 0 || duration > wc.MaxFileDuration {
		return Message{}, fmt.Errorf("%w: a duration of %v seconds", ErrInvalid, f.Duration)
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	conn, err := c.ses.current()
	if err != nil || c.ses.hasQueued(ctx) {
		return c.ses.queue(ctx, outboxEntry{Receiver: r, Text: f.Caption, Data: data, SendAsFile: f.SendAsFile, Duration: duration,
			File: &FileInfo{Name: name, Size: int64(len(data)), Mime: mime}})
	}
	return c.ses.sendFileOn(ctx, conn, r, outgoingFile{name: name, mime: mime, data: data, caption: f.Caption, asFile: f.SendAsFile, duration: duration})
}

// fileMessageType is how a file the user sends shows in the chat: an image
// unless it was sent as a file.
func fileMessageType(mime string, asFile bool) wc.MessageType {
	if strings.HasPrefix(mime, "image/") && !asFile {
		return wc.MessageImage
	}
	return wc.MessageFile
}

// outgoingFile is a file on its way to the phone.
type outgoingFile struct {
	name, mime string
	data       []byte
	caption    string
	asFile     bool    // the rendering type "file" (create/fileMessage's sendAsFile)
	duration   float64 // a recording's length in seconds, 0 if not known
}

// sendFileOn sends a file over conn, caches it and returns it as pending.
func (s *session) sendFileOn(ctx context.Context, conn *phonelink.Conn, r Receiver, f outgoingFile) (Message, error) {
	name, mime, data, caption, asFile := f.name, f.mime, f.data, f.caption, f.asFile
	reply, err := conn.Request(ctx, wc.NewFileMessageCreate("", wc.FileMessageCreate{Receiver: r.wire(), Name: name, FileType: mime,
		Size: uint64(len(data)), Data: data, Caption: caption, SendAsFile: asFile, Duration: f.duration}))
	if err != nil {
		return Message{}, err
	}
	created, err := wc.DecodeMessageCreated(reply)
	if err != nil {
		return Message{}, fmt.Errorf("app: send file: %w", err)
	}
	typ := fileMessageType(mime, asFile)
	if err := s.store.PutMedia(ctx, r.key(), created.MessageID, mediaFile, fileRecord(name, mime, data)); err != nil {
		s.log.Warn("sent file not cached", "err", err)
	}
	return Message{ID: created.MessageID, Receiver: r, Type: string(typ), Outgoing: true, Sender: s.self(), Text: caption,
		Date: s.now().UnixMilli(), State: string(wc.StatePending), File: &FileInfo{Name: name, Size: int64(len(data)), Mime: mime}}, nil
}

// MarkRead tells the phone that the conversation was read up to its newest message.
func (c *ChatService) MarkRead(r Receiver) error {
	if err := r.validate(); err != nil {
		return err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	recs, _, err := c.ses.store.Messages(ctx, r.key(), "", 1)
	if err != nil || len(recs) == 0 {
		return err
	}
	conn, err := c.ses.current()
	if err != nil {
		return err
	}
	// request/read has no reply (§2.4); the phone pushes the changed messages.
	return conn.Send(ctx, wc.NewMessageRef("", wc.MessageRef{Key: wc.Key{Type: wc.TypeRequest, SubType: wc.SubRead},
		Receiver: r.wire(), MessageID: recs[0].ID}))
}

// SetTyping tells a contact (through the phone) whether the user is typing.
func (c *ChatService) SetTyping(r Receiver, typing bool) error {
	if err := r.validate(); err != nil {
		return err
	}
	if r.Type != ReceiverContact {
		return nil // typing indicators exist for one-to-one chats only
	}
	conn, err := c.ses.current()
	if err != nil {
		return err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	return conn.Send(ctx, wc.NewTyping(wc.Typing{Identity: r.ID, IsTyping: typing}))
}

// Thumbnail returns a message's thumbnail as a data: URL (cached after the first time).
func (c *ChatService) Thumbnail(r Receiver, messageID string) (string, error) {
	if err := r.validate(); err != nil {
		return "", err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	if b, err := c.ses.store.Media(ctx, r.key(), messageID, mediaThumbnail); err == nil {
		return dataURL(b), nil
	}
	// An image sent from this computer is cached whole: it is its own preview.
	if fd, ok := c.cachedFile(ctx, r, messageID); ok && strings.HasPrefix(fd.Mime, "image/") {
		return "data:" + fd.Mime + ";base64," + fd.Data, nil
	}
	conn, err := c.ses.current()
	if err != nil {
		return "", err
	}
	reply, err := conn.Request(ctx, wc.NewMessageRef("", wc.MessageRef{Key: wc.Key{Type: wc.TypeRequest, SubType: wc.SubThumbnail},
		Receiver: r.wire(), MessageID: messageID}))
	if err != nil {
		return "", err
	}
	t, err := wc.DecodeThumbnailResponse(reply)
	if err != nil {
		return "", fmt.Errorf("app: thumbnail: %w", err)
	}
	if err := c.ses.store.PutMedia(ctx, r.key(), messageID, mediaThumbnail, t.Image); err != nil {
		c.ses.log.Warn("thumbnail not cached", "err", err)
	}
	return dataURL(t.Image), nil
}

// fileRecord is a cached file: JSON {name, mime} ‖ NUL ‖ bytes.
func fileRecord(name, mime string, data []byte) []byte {
	head, _ := json.Marshal(FileData{Name: name, Mime: mime})
	return append(append(head, 0), data...)
}

// File returns a message's file (downloaded through the phone once, then cached).
func (c *ChatService) File(r Receiver, messageID string) (FileData, error) {
	if err := r.validate(); err != nil {
		return FileData{}, err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	if fd, ok := c.cachedFile(ctx, r, messageID); ok {
		return fd, nil
	}
	conn, err := c.ses.current()
	if err != nil {
		return FileData{}, err
	}
	reply, err := conn.Request(ctx, wc.NewMessageRef("", wc.MessageRef{Key: wc.Key{Type: wc.TypeRequest, SubType: wc.SubBlob},
		Receiver: r.wire(), MessageID: messageID}))
	if err != nil {
		return FileData{}, err
	}
	b, err := wc.DecodeBlobResponse(reply)
	if err != nil {
		return FileData{}, fmt.Errorf("app: file: %w", err)
	}
	if err := b.Result.Err(); err != nil {
		return FileData{}, fmt.Errorf("app: file: %w", err)
	}
	if err := c.ses.store.PutMedia(ctx, r.key(), messageID, mediaFile, fileRecord(b.Name, b.MIMEType, b.Blob)); err != nil {
		c.ses.log.Warn("file not cached", "err", err)
	}
	return FileData{Name: b.Name, Mime: b.MIMEType, Data: base64.StdEncoding.EncodeToString(b.Blob)}, nil
}

// cachedFile returns a message's file from the cache.
func (c *ChatService) cachedFile(ctx context.Context, r Receiver, messageID string) (FileData, bool) {
	b, err := c.ses.store.Media(ctx, r.key(), messageID, mediaFile)
	if err != nil {
		return FileData{}, false
	}
	i := slices.Index(b, 0)
	if i <= 0 {
		return FileData{}, false
	}
	var fd FileData
	if json.Unmarshal(b[:i], &fd) != nil {
		return FileData{}, false
	}
	fd.Data = base64.StdEncoding.EncodeToString(b[i+1:])
	return fd, true
}

// DeleteMessage deletes a message, any sender's, on the phone and here only;
// the others keep theirs (DeleteForEveryone is the other delete).
func (c *ChatService) DeleteMessage(r Receiver, messageID string) error {
	if err := r.validate(); err != nil {
		return err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	if ok, err := c.ses.unqueue(ctx, r, messageID); ok || err != nil {
		return err // a message still waiting for the phone: gone here, nothing to tell the phone
	}
	conn, err := c.ses.current()
	if err != nil {
		return err
	}
	// Threema Web's delete/message deletes on the phone only (the others
	// keep theirs). The app answers with response/confirmAction (the Android
	// app, and Kurier's phone) and pushes the removal; a refusal
	// (invalidMessage: the phone does not have it) comes back as the error.
	_, err = conn.Request(ctx, wc.NewMessageRef("", wc.MessageRef{Key: wc.Key{Type: wc.TypeDelete, SubType: wc.SubMessage},
		Receiver: r.wire(), MessageID: messageID}))
	return err
}

// Draft returns the conversation's unsent text.
func (c *ChatService) Draft(r Receiver) (string, error) {
	if err := r.validate(); err != nil {
		return "", err
	}
	return c.ses.store.Draft(c.ses.ctx, r.key())
}

// SetDraft keeps the conversation's unsent text ("" removes it).
func (c *ChatService) SetDraft(r Receiver, text string) error {
	if err := r.validate(); err != nil {
		return err
	}
	if len(text) > maxDraftBytes {
		return fmt.Errorf("%w: draft too long", ErrInvalid)
	}
	return c.ses.store.SetDraft(c.ses.ctx, r.key(), text)
}

// Search finds cached messages containing every word of query, newest first.
func (c *ChatService) Search(query string, limit int) ([]SearchHit, error) {
	if limit <= 0 || limit > maxSearchResult {
		limit = maxSearchResult
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	hits, err := c.ses.index.Search(ctx, query, limit)
	if err != nil {
		return nil, err
	}
	out := make([]SearchHit, 0, len(hits))
	for _, h := range hits {
		m, err := c.cachedMessage(ctx, h)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		name, _ := c.ses.nameOf(m.Receiver)
		out = append(out, SearchHit{Message: m, Name: name, Snippet: h.Snippet})
	}
	return out, nil
}

func (c *ChatService) cachedMessage(ctx context.Context, h search.Hit) (Message, error) {
	rec, err := c.ses.store.Message(ctx, store.Key{Type: h.Type, ID: h.RID}, h.ID)
	if err != nil {
		return Message{}, err
	}
	var m Message
	if err := json.Unmarshal(rec.Data, &m); err != nil {
		return Message{}, fmt.Errorf("app: cached message: %w", err)
	}
	return m, nil
}
