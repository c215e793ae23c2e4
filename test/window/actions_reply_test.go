package window

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// reply answers Bob's question through its menu's Reply: Bob's phone gets
// a text quoting the question, and the window shows the quote in Alice's
// bubble.
func (w *actionsWorld) reply(t *testing.T) {
	p := w.page.on(t)
	q := w.bobSays(t, "What time is the meeting?")
	w.question = q
	w.openMenu(t, "What time is the meeting?", false)
	p.click("Reply", menuItemJS(`[data-action=reply]`), 1)
	p.waitJS("the quote above the composer", `document.querySelector('.composer .attachment')?.textContent.includes('What time is the meeting?')`)
	p.click("the composer", `document.querySelector('[data-testid=composer]')`, 1)
	p.typeText("At ten.")
	p.waitJS("the reply typed", `document.querySelector('[data-testid=composer]').value === 'At ten.'`)
	p.shotAs("reply-composing")
	p.key("Return")
	ev := phonetest.Wait(t, w.bobEvents, "Alice's reply", func(ev phone.Event) bool {
		return ev.Kind == phone.EventMessage && ev.Message != nil && ev.Message.Sender == w.alice.ID()
	})
	quoted, text, ok := e2e.ParseQuote(ev.Message.Body)
	if !ok || quoted != q.MessageID || text != "At ten." {
		t.Fatalf("Bob got %q, want a quote of message %x and “At ten.”", ev.Message.Body, q.MessageID)
	}
	p.waitJS("the quote in Alice's reply", `(`+rowJS("At ten.", true)+`)?.querySelector('blockquote')?.textContent.includes('What time is the meeting?')`)
	p.shotAs("reply")
}

// replyToVoice answers Bob's voice message (sent by the voice step). The
// phone quotes a file without caption by its name; the quote in Alice's
// reply still says what it is, "Voice message (0:03)", and a click on it
// shows the voice message, highlighted.
func (w *actionsWorld) replyToVoice(t *testing.T) {
	p := w.page.on(t)
	p.click("Bob's voice message", `(`+voiceJS+`).closest('.bubble')`, 3)
	p.waitJS("the message menu", `document.querySelector('[data-testid=message-menu].placed')`)
	p.click("Reply", menuItemJS(`[data-action=reply]`), 1)
	p.waitJS("the quote above the composer", `document.querySelector('.composer .attachment')?.textContent.includes('Voice message (0:03)')`)
	ev := w.aliceSends(t, "Got it.")
	if quoted, text, ok := e2e.ParseQuote(ev.Message.Body); !ok || quoted != w.bobVoice.MessageID || text != "Got it." {
		t.Fatalf("Bob got %q, want a quote of the voice message %x and “Got it.”", ev.Message.Body, w.bobVoice.MessageID)
	}
	quote := `(` + rowJS("Got it.", true) + `)?.querySelector('blockquote')`
	p.waitJS("the quote of the voice message", quote+`?.textContent.includes('Voice message (0:03)')`)
	var shown string
	p.value(quote+`.textContent`, &shown)
	if strings.Contains(shown, "bob-voice.wav") {
		t.Errorf("the quote shows the file's name: %q", shown)
	}
	p.click("the quote", quote+`.querySelector('button')`, 1)
	p.waitJS("the voice message highlighted", `(`+voiceJS+`).closest('.bubble').classList.contains('highlighted')`)
	p.shotAs("reply-voice")
}

// deleteForMe deletes Bob's question (the reply step's) through its menu's
// "Delete for me": it goes from the window and Alice's phone, Bob keeps it,
// and Alice's answer, which quoted it, now says the quoted message is gone.
func (w *actionsWorld) deleteForMe(t *testing.T) {
	p := w.page.on(t)
	w.openMenu(t, "What time is the meeting?", false)
	p.click("Delete for me", menuItemJS(`[data-action=delete]`), 1)
	p.click("the confirmation", `document.querySelector('[data-testid=confirm-ok]')`, 1)
	p.waitJS("the question gone", `!(`+rowJS("What time is the meeting?", false)+`)`)
	p.waitJS("the answer's quote saying it is gone", `(`+rowJS("At ten.", true)+`)?.querySelector('blockquote')?.textContent.includes('The quoted message is no longer available')`)
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	if _, err := w.alice.Store().MessageInConversation(ctx, w.bob.ID(), w.question.MessageID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the question is still on Alice's phone: %v", err)
	}
	if kept, err := w.bob.Store().MessageInConversation(ctx, w.alice.ID(), w.question.MessageID); err != nil || kept.Body != "What time is the meeting?" || !kept.DeletedAt.IsZero() {
		t.Errorf("Bob's copy of the question: %+v, %v", kept, err)
	}
	p.shotAs("delete-for-me")
}
