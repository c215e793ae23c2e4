package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// StateQueued is the state of a message composed while the phone was away:
// it waits in the outbox (sealed like the cache) and is sent, in order,
// when the phone is back.
const StateQueued = "queued"

// Bounds of the outbox: what one may write while the phone is away.
const (
	// MaxOutboxMessages is how many messages may wait.
	MaxOutboxMessages = 1000
	// MaxOutboxBytes is how many bytes they may take, files included.
	MaxOutboxBytes = 256 << 20
)

// ErrOutboxFull: too much is waiting for the phone already.
var ErrOutboxFull = errors.New("too many messages are waiting for the phone")

// queuedPrefix starts the local id of a waiting message.
const queuedPrefix = "queued-"

// outboxEntry is a waiting message as stored (JSON, sealed by the store).
type outboxEntry struct {
	Receiver Receiver `json:"receiver"`
	// Text is the text, or the caption of a file.
	Text    string `json:"text,omitempty"`
	QuoteID string `json:"quoteId,omitempty"`
	// File is set for a file; Data holds its bytes.
	File *FileInfo `json:"file,omitempty"`
	Data []byte    `json:"data,omitempty"`
	// SendAsFile sends an image as a file (FileUpload.SendAsFile). Entries
	// queued before it existed lack it: false, an image is sent as media.
	SendAsFile bool `json:"sendAsFile,omitempty"`
	// Duration is a recording's length (FileUpload.Duration).
	Duration float64 `json:"duration,omitempty"`
	Date     int64   `json:"date"`
	// Failed is set when the phone refused it: it stays, shown as failed,
	// until the user retries or deletes it.
	Failed bool `json:"failed,omitempty"`
}

// message is how the entry shows in the chat until the phone has it.
func (e outboxEntry) message(id, self string) Message {
	m := Message{ID: id, Receiver: e.Receiver, Type: string(wc.MessageText), Outgoing: true, Sender: self, Text: e.Text,
		Date: e.Date, SortKey: e.Date, State: StateQueued, File: e.File}
	if e.File != nil {
		m.Type = string(fileMessageType(e.File.Mime, e.SendAsFile))
	}
	if e.Failed {
		m.State = string(wc.StateSendFailed)
	}
	return m
}

// queue puts a message into the outbox and wakes the sender. Without a
// paired phone there is nobody to wait for: ErrNotConnected.
func (s *session) queue(ctx context.Context, e outboxEntry) (Message, error) {
	if s.self() == "" {
		return Message{}, ErrNotConnected
	}
	u, err := s.store.OutboxUsage(ctx)
	if err != nil {
		return Message{}, err
	}
	if u.Count >= MaxOutboxMessages || u.Bytes+int64(len(e.Data)+len(e.Text)) > MaxOutboxBytes {
		return Message{}, ErrOutboxFull
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	id := queuedPrefix + hex.EncodeToString(rnd[:])
	e.Date = s.now().UnixMilli()
	b, err := json.Marshal(e)
	if err != nil {
		return Message{}, fmt.Errorf("app: queue: %w", err)
	}
	if err := s.store.PutOutbox(ctx, store.OutboxRecord{ID: id, Key: e.Receiver.key(), Data: b}); err != nil {
		return Message{}, err
	}
	s.log.Info("message queued for the phone")
	s.wakeOutbox()
	return e.message(id, s.self()), nil
}

// hasQueued reports whether anything waits: a new message then waits
// behind it, so that messages reach the phone in the order they were written.
func (s *session) hasQueued(ctx context.Context) bool {
	u, err := s.store.OutboxUsage(ctx)
	return err == nil && u.Count > 0
}

// queued returns the waiting messages of one conversation, oldest first.
func (s *session) queued(ctx context.Context, r Receiver) ([]Message, error) {
	k := r.key()
	recs, err := s.store.Outbox(ctx, &k)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(recs))
	for _, rec := range recs {
		var e outboxEntry
		if err := json.Unmarshal(rec.Data, &e); err != nil {
			return nil, fmt.Errorf("app: outbox: %w", err)
		}
		out = append(out, e.message(rec.ID, s.self()))
	}
	return out, nil
}

// unqueue removes a waiting message (the user deleted it); it reports
// whether id was one.
func (s *session) unqueue(ctx context.Context, r Receiver, id string) (bool, error) {
	if !strings.HasPrefix(id, queuedPrefix) {
		return false, nil
	}
	ok, err := s.store.DeleteOutbox(ctx, id)
	if err == nil && ok {
		s.hub.Publish(EventMessagesChanged, MessagesEvent{Receiver: r, Messages: []Message{}, Removed: []string{id}})
	}
	return ok, err
}

// wakeOutbox tells the sender that something was queued.
func (s *session) wakeOutbox() {
	select {
	case s.outboxWake <- struct{}{}:
	default:
	}
}

// sendOutbox sends the waiting messages over conn, oldest first, each
// replaced in the UI by the phone's message once the phone has it, and
// then waits for more until ctx ends. A message the phone refuses stays,
// marked failed; a lost connection stops it until the next one.
func (s *session) sendOutbox(ctx context.Context, conn *phonelink.Conn) {
	for {
		recs, err := s.store.Outbox(ctx, nil)
		if err != nil {
			s.log.Warn("outbox not read", "err", err)
		}
		sent := 0
		for _, rec := range recs {
			var e outboxEntry
			if err := json.Unmarshal(rec.Data, &e); err != nil || e.Failed {
				continue
			}
			m, err := s.sendEntry(ctx, conn, e)
			if ctx.Err() != nil || conn.Err() != nil {
				return // the link dropped: the next connection sends it
			}
			if err != nil {
				s.log.Warn("queued message refused by the phone", "err", err)
				e.Failed = true
				if b, err := json.Marshal(e); err == nil {
					_ = s.store.UpdateOutbox(ctx, rec.ID, b)
				}
				s.hub.Publish(EventMessagesChanged, MessagesEvent{Receiver: e.Receiver, Messages: []Message{e.message(rec.ID, s.self())}, Removed: []string{}})
				continue
			}
			s.swapSent(ctx, rec.ID, e.Receiver, m)
			sent++
		}
		if sent > 0 {
			s.log.Info("queued messages sent", "count", sent)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.outboxWake:
		}
	}
}

// swapSent takes the sent message queuedID out of the outbox and shows m,
// the phone's message, in its place. The phone's own update of m (sending,
// sent) follows its reply at once and may have been applied already: then
// the cached copy is the newer one, and it is what the UI gets.
func (s *session) swapSent(ctx context.Context, queuedID string, r Receiver, m Message) {
	s.messagesMu.Lock()
	defer s.messagesMu.Unlock()
	if _, err := s.store.DeleteOutbox(ctx, queuedID); err != nil {
		s.log.Warn("sent message left in the outbox", "err", err)
	}
	if rec, err := s.store.Message(ctx, r.key(), m.ID); err == nil {
		var cached Message
		if json.Unmarshal(rec.Data, &cached) == nil {
			m = cached
		}
	}
	s.hub.Publish(EventMessagesChanged, MessagesEvent{Receiver: r, Messages: []Message{m}, Removed: []string{queuedID}})
}

// sendEntry sends one waiting message.
func (s *session) sendEntry(ctx context.Context, conn *phonelink.Conn, e outboxEntry) (Message, error) {
	if e.File != nil {
		return s.sendFileOn(ctx, conn, e.Receiver, outgoingFile{name: e.File.Name, mime: e.File.Mime, data: e.Data,
			caption: e.Text, asFile: e.SendAsFile, duration: e.Duration})
	}
	return s.sendTextOn(ctx, conn, e.Receiver, e.Text, e.QuoteID)
}
