package window

import (
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/protocol/e2e"
)

// reply answers Bob's question through its menu's Reply: Bob's phone gets
// a text quoting the question, and the window shows the quote in Alice's
// bubble.
func (w *actionsWorld) reply(t *testing.T) {
	p := w.page.on(t)
	q := w.bobSays(t, "What time is the meeting?")
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
