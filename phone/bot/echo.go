package bot

import (
	"context"
	"log/slog"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// Echo runs the echo bot on p until ctx ends: every incoming text and file
// is sent back with the same content (a voice message with its length) — to
// the sender for 1:1 messages, to the group for group messages — except the
// messages of the bots named with IgnoreBots. It returns once its goroutine
// has stopped.
func Echo(ctx context.Context, p *phone.Phone, log *slog.Logger, opts ...Option) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "bot", "bot", "echo")
	return serve(ctx, p, log, newOptions(opts), func(store.Message) bool { return true },
		func(ctx context.Context, m store.Message) error { return echo(ctx, p, m) })
}

// echo answers one message.
func echo(ctx context.Context, p *phone.Phone, m store.Message) error {
	creator, gid, isGroup := store.ParseGroupKey(m.Conversation)
	switch m.Type {
	case e2e.TypeText:
		_, err := p.SendText(ctx, m.Sender, m.Body)
		return err
	case e2e.TypeGroupText:
		if !isGroup {
			return nil
		}
		_, err := p.SendGroupText(ctx, creator, gid, m.Body)
		return err
	case e2e.TypeFile, e2e.TypeGroupFile:
		fi, err := phone.FileInfoOf(m)
		if err != nil {
			return err
		}
		data, err := p.DownloadFile(ctx, m)
		if err != nil {
			return err
		}
		in := phone.FileInput{Name: fi.Name, MIME: fi.MIME, Data: data, Caption: m.Body, Duration: fi.Duration, SendAsFile: fi.Rendering == int(e2e.RenderingFile)}
		if isGroup {
			_, err = p.SendGroupFile(ctx, creator, gid, in)
		} else {
			_, err = p.SendFile(ctx, m.Sender, in)
		}
		return err
	}
	return nil // other types are not echoed
}
