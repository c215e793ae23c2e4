package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/bot"
	"github.com/kurier/kurier/phone/phonetest"
)

// TestBotsInAGroupAnswerPeopleNotEachOther puts the echo and the chatty bot
// in one group with a person, as the demo world does: a text of the person
// gets one echo and one chatty answer, and nothing more follows — the bots
// do not answer each other. Without IgnoreBots they would, which the second
// part shows by letting them run unguarded for a moment.
func TestBotsInAGroupAnswerPeopleNotEachOther(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	a, aev := phonetest.Phone(t, bj, "A")
	e, _ := phonetest.Phone(t, bj, "Echo")
	c, _ := phonetest.Phone(t, bj, "Chatty")
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	g, err := a.CreateGroup(ctx, "bots", []string{e.ID(), c.ID()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*phone.Phone{e, c} {
		for {
			if _, err := p.Group(ctx, a.ID(), g.ID); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatal("a bot never learned of the group")
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	// run starts both bots, each ignoring the other if guarded.
	run := func(guarded bool) (stop func()) {
		var eo, co []bot.Option
		if guarded {
			eo, co = []bot.Option{bot.IgnoreBots(c.ID())}, []bot.Option{bot.IgnoreBots(e.ID())}
		}
		bctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); _ = bot.Echo(bctx, e, nil, eo...) }()
		go func() { defer wg.Done(); _ = bot.Chatty(bctx, c, nil, time.Millisecond, co...) }()
		return func() { cancel(); wg.Wait() }
	}
	// groupMessages counts the bots' group messages that reach A within d.
	groupMessages := func(d time.Duration) int {
		n := 0
		timer := time.NewTimer(d)
		defer timer.Stop()
		for {
			select {
			case ev := <-aev:
				if ev.Kind == phone.EventMessage && ev.Conversation == g.Key() {
					n++
				}
			case <-timer.C:
				return n
			}
		}
	}

	stop := run(true)
	if _, err := a.SendGroupText(ctx, a.ID(), g.ID, "hello bots"); err != nil {
		t.Fatal(err)
	}
	if n := groupMessages(1500 * time.Millisecond); n != 2 {
		t.Fatalf("%d bot messages after one text, want the echo and the chatty answer", n)
	}
	stop()

	// Unguarded, one text sets off an exchange that does not end by itself.
	stop = run(false)
	if _, err := a.SendGroupText(ctx, a.ID(), g.ID, "hello again"); err != nil {
		t.Fatal(err)
	}
	n := groupMessages(1500 * time.Millisecond)
	stop()
	if n <= 4 {
		t.Fatalf("only %d bot messages without IgnoreBots: the test no longer shows the loop it guards against", n)
	}
}
