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

// serve is every bot's loop: it queues the incoming messages accept takes
// (never the phone's own) and answers them one at a time, in order, with
// answer, until ctx ends. Failures are logged by message id, never content.
func serve(ctx context.Context, p *phone.Phone, log *slog.Logger, accept func(store.Message) bool,
	answer func(context.Context, store.Message) error) error {
	in := make(chan store.Message, queueLen)
	cancel := p.Subscribe(func(e phone.Event) {
		if e.Kind != phone.EventMessage || e.Message == nil || e.Message.Outgoing || !accept(*e.Message) {
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
