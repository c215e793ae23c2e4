package bot

import (
	"context"
	"log/slog"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
)

// queueLen bounds the messages waiting for a bot; beyond it the bot skips
// messages (and logs it) rather than block the phone.
const queueLen = 1024

// Option configures a bot.
type Option func(*options)

type options struct {
	ignore map[string]bool
}

// IgnoreBots names other bots (their Threema IDs): a bot answers people,
// never these, 1:1 or in a group. Two bots in one group that answer every
// message would otherwise answer each other without end — the echo bot
// repeating the chatty bot's answer, the chatty bot answering the echo —
// and the Web protocol has no mark that tells a bot's message from a
// person's, so the one who runs the bots names them (the demo world does).
func IgnoreBots(ids ...string) Option {
	return func(o *options) {
		for _, id := range ids {
			o.ignore[id] = true
		}
	}
}

func newOptions(opts []Option) options {
	o := options{ignore: make(map[string]bool)}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// serve is every bot's loop: it queues the incoming messages accept takes
// (never the phone's own, nor those of an ignored bot) and answers them one
// at a time, in order, with answer, until ctx ends. Failures are logged by
// message id, never content.
func serve(ctx context.Context, p *phone.Phone, log *slog.Logger, o options, accept func(store.Message) bool,
	answer func(context.Context, store.Message) error) error {
	in := make(chan store.Message, queueLen)
	cancel := p.Subscribe(func(e phone.Event) {
		if e.Kind != phone.EventMessage || e.Message == nil || e.Message.Outgoing || o.ignore[e.Message.Sender] || !accept(*e.Message) {
			return
		}
		select {
		case in <- *e.Message:
		default:
			log.Warn("bot overloaded, message skipped", "message_id", e.MessageID)
		}
	})
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-in:
			if err := answer(ctx, m); err != nil && ctx.Err() == nil {
				log.Warn("bot answer failed", "message_id", m.MessageID, "err", err)
			}
		}
	}
}
