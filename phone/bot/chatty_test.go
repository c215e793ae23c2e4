package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/bot"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// TestChattyTypesReadsAndAnswers runs the chatty bot on one real phone and
// talks to it from another: the sender sees its text read, then typing on,
// typing off and the reply, in that order; a group text gets its reply in
// the group.
func TestChattyTypesReadsAndAnswers(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	a, aev := phonetest.Phone(t, bj, "A")
	b, _ := phonetest.Phone(t, bj, "Chatty")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bot.Chatty(ctx, b, nil, 300*time.Millisecond) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	sent, err := a.SendText(ctx, b.ID(), "hello bot")
	if err != nil {
		t.Fatal(err)
	}
	// The receipt is queued while typing goes live, so they may arrive in
	// either order; typing on, typing off and the reply keep theirs.
	var (
		read, on, off bool
		onAt          time.Time
	)
	e := phonetest.Wait(t, aev, "reply", func(e phone.Event) bool {
		switch {
		case e.Kind == phone.EventMessageState && e.MessageID == sent.MessageID && e.State == store.StateRead:
			read = true
		case e.Kind == phone.EventTyping && e.Peer == b.ID() && e.Typing:
			on, onAt = true, time.Now()
		case e.Kind == phone.EventTyping && e.Peer == b.ID() && !e.Typing:
			if !on {
				t.Error("typing off before typing on")
			}
			if d := time.Since(onAt); d < 100*time.Millisecond {
				t.Errorf("typing lasted %v", d)
			}
			off = true
		case e.Kind == phone.EventMessage && e.Peer == b.ID():
			return true
		}
		return false
	})
	if !on || !off {
		t.Errorf("typing on %v, off %v before the reply", on, off)
	}
	if !read {
		phonetest.Wait(t, aev, "read receipt", func(e phone.Event) bool {
			return e.Kind == phone.EventMessageState && e.MessageID == sent.MessageID && e.State == store.StateRead
		})
	}
	if !strings.Contains(e.Message.Body, "hello bot") {
		t.Fatalf("reply %q", e.Message.Body)
	}
	// A group text is answered in the group, quoting it, without typing.
	g, err := a.CreateGroup(ctx, "g", []string{b.ID()})
	if err != nil {
		t.Fatal(err)
	}
	gm, err := a.SendGroupText(ctx, a.ID(), g.ID, "group hello")
	if err != nil {
		t.Fatal(err)
	}
	e = phonetest.Wait(t, aev, "group reply", func(e phone.Event) bool {
		if e.Kind == phone.EventTyping && e.Peer == b.ID() {
			t.Error("typing indicator for a group text")
		}
		return e.Kind == phone.EventMessage && e.Peer == b.ID()
	})
	if e.Conversation != g.Key() || !strings.Contains(e.Message.Body, "group hello") {
		t.Fatalf("group reply %q in %s", e.Message.Body, e.Conversation)
	}
	if q, _, ok := e2e.ParseQuote(e.Message.Body); !ok || q != gm.MessageID {
		t.Fatalf("the group reply does not quote the text: %q", e.Message.Body)
	}
}
