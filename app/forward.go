package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// maxForwardTargets bounds the conversations one Forward sends to: each is
// a message of its own through the phone (and the outbox when it is away).
const maxForwardTargets = 20

// Forward sends a copy of a message of the conversation with from to each
// receiver of to (at most maxForwardTargets, duplicates once): a text as a
// new text (without its quote), a file or image with its bytes and caption
// (read from the cache or through the phone), a location as text. It goes
// the way SendText and SendFile go, so it is queued while the phone is
// away. It returns the messages sent; on an error, those sent before it.
func (c *ChatService) Forward(from Receiver, messageID string, to []Receiver) ([]Message, error) {
	if err := from.validate(); err != nil {
		return nil, err
	}
	if len(to) == 0 || len(to) > maxForwardTargets {
		return nil, fmt.Errorf("%w: forward to 1 to %d conversations", ErrInvalid, maxForwardTargets)
	}
	targets := make([]Receiver, 0, len(to))
	for _, r := range to {
		if err := r.validate(); err != nil {
			return nil, err
		}
		if !slices.Contains(targets, r) {
			targets = append(targets, r)
		}
	}
	m, err := c.message(from, messageID)
	if err != nil {
		return nil, err
	}
	send, err := c.forwarder(from, m)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(targets))
	for _, r := range targets {
		sent, err := send(r)
		if err != nil {
			return out, fmt.Errorf("app: forward: %w", err)
		}
		out = append(out, sent)
	}
	return out, nil
}

// forwarder returns how m is sent again to one receiver.
func (c *ChatService) forwarder(from Receiver, m Message) (func(Receiver) (Message, error), error) {
	switch {
	case m.File != nil && (m.Type == string(wc.MessageFile) || m.Type == string(wc.MessageImage)):
		fd, err := c.File(from, m.ID)
		if err != nil {
			return nil, err
		}
		name := fd.Name
		if name == "" {
			name = m.File.Name
		}
		mime := fd.Mime
		if mime == "" {
			mime = m.File.Mime
		}
		up := FileUpload{Name: name, Mime: mime, Data: fd.Data, Caption: m.Text, SendAsFile: m.Type == string(wc.MessageFile)}
		return func(r Receiver) (Message, error) { return c.SendFile(r, up) }, nil
	case m.Location != nil:
		text := locationText(*m.Location)
		return func(r Receiver) (Message, error) { return c.SendText(r, text, "") }, nil
	case m.Type == string(wc.MessageText) && strings.TrimSpace(m.Text) != "":
		return func(r Receiver) (Message, error) { return c.SendText(r, m.Text, "") }, nil
	}
	return nil, fmt.Errorf("%w: a %s message cannot be forwarded", ErrInvalid, m.Type)
}

// message returns a message of the conversation with r from the cache,
// which holds every message the UI has been shown.
func (c *ChatService) message(r Receiver, id string) (Message, error) {
	ctx, cancel := c.reqCtx()
	defer cancel()
	rec, err := c.ses.store.Message(ctx, r.key(), id)
	if err != nil {
		return Message{}, fmt.Errorf("app: message %s: %w", id, err)
	}
	var m Message
	if err := json.Unmarshal(rec.Data, &m); err != nil {
		return Message{}, fmt.Errorf("app: cached message: %w", err)
	}
	return m, nil
}

// locationText is a location as a text message: its description (if any)
// above a map link that the apps turn into a link.
func locationText(l Location) string {
	link := "https://www.openstreetmap.org/?mlat=" + strconv.FormatFloat(l.Lat, 'f', 6, 64) +
		"&mlon=" + strconv.FormatFloat(l.Lon, 'f', 6, 64)
	if d := strings.TrimSpace(l.Description); d != "" {
		return d + "\n" + link
	}
	return link
}
