package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// DefaultTypingPause is how long the chatty bot "types" before it answers:
// long enough for a desktop to show the indicator.
const DefaultTypingPause = 1500 * time.Millisecond

// Chatty runs the chatty bot on p until ctx ends. Every incoming 1:1 text
// is marked read (a read receipt), then answered after a typing indicator
// (typing on, a pause of typingPause, typing off, a reply quoting it); a
// typingPause of zero or less means DefaultTypingPause. A group text is
// answered in the group at once, quoting it: groups have neither read
// receipts nor typing indicators in Threema. Messages of the bots named
// with IgnoreBots get no answer. It returns once its goroutine has stopped.
func Chatty(ctx context.Context, p *phone.Phone, log *slog.Logger, typingPause time.Duration, opts ...Option) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if typingPause <= 0 {
		typingPause = DefaultTypingPause
	}
	log = log.With("component", "bot", "bot", "chatty")
	return serve(ctx, p, log, newOptions(opts), func(m store.Message) bool { return m.Type == e2e.TypeText || m.Type == e2e.TypeGroupText },
		func(ctx context.Context, m store.Message) error { return chat(ctx, p, log, m, typingPause) })
}

// chat answers one text: in its group, or after reading and "typing" 1:1.
func chat(ctx context.Context, p *phone.Phone, log *slog.Logger, m store.Message, pause time.Duration) error {
	reply := e2e.QuoteText(m.MessageID, chattyReply(m.Body))
	if creator, gid, ok := store.ParseGroupKey(m.Conversation); ok {
		if _, err := p.SendGroupText(ctx, creator, gid, reply); err != nil {
			return fmt.Errorf("bot: group reply: %w", err)
		}
		return nil
	}
	if err := p.MarkRead(ctx, m.Sender, m.MessageID); err != nil {
		return fmt.Errorf("bot: read receipt: %w", err)
	}
	// Typing indicators are sent only while connected: a failure is not
	// worth dropping the reply for.
	if err := p.SendTyping(ctx, m.Sender, true); err != nil {
		log.Info("typing indicator not sent", "err", err)
	}
	t := time.NewTimer(pause)
	select {
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	case <-t.C:
	}
	if err := p.SendTyping(ctx, m.Sender, false); err != nil {
		log.Info("typing indicator not sent", "err", err)
	}
	if _, err := p.SendText(ctx, m.Sender, reply); err != nil {
		return fmt.Errorf("bot: reply: %w", err)
	}
	return nil
}

// chattyReply is the bot's answer to a text. It is sent as a reply that
// quotes the text (e2e.QuoteText, as the Threema apps quote) and repeats
// it, so a conversation with it is easy to follow.
func chattyReply(text string) string {
	const maxQuote = 200
	r := []rune(text)
	if len(r) > maxQuote {
		r = append(r[:maxQuote], '…')
	}
	return fmt.Sprintf("You said: %q. Tell me more!", string(r))
}
