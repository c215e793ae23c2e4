package window

import (
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// forward sends Bob's text on to Carol through its menu's Forward and the
// dialog's tick box: Carol's phone receives it from Alice, and Carol's chat
// in the window shows it.
func (w *actionsWorld) forward(t *testing.T) {
	p := w.page.on(t)
	const text = "Lunch at noon?"
	w.openMenu(t, text, false)
	p.click("Forward", menuItemJS(`[data-action=forward]`), 1)
	carol := `document.querySelector('[data-testid=forward-dialog] [data-testid=forward-target][data-receiver="contact:` + w.carol.ID() + `"]')`
	p.click("Carol in the forward dialog", carol, 1)
	p.waitJS("Carol ticked", carol+`?.checked`)
	p.shotAs("forward")
	p.click("Forward in the dialog", `document.querySelector('[data-testid=forward-send]')`, 1)
	phonetest.Wait(t, w.carolEvents, "the forwarded text", func(ev phone.Event) bool {
		return ev.Kind == phone.EventMessage && ev.Message != nil && ev.Message.Sender == w.alice.ID() && ev.Message.Body == text
	})
	p.waitJS("the dialog closed", `!document.querySelector('[data-testid=forward-dialog]')`)
	p.click("Carol's conversation", `document.querySelector('[data-testid=conversation-item][data-receiver="contact:`+w.carol.ID()+`"]')`, 1)
	p.waitJS("the forwarded text in Carol's chat", rowJS(text, true))
	p.shotAs("forwarded")
	p.click("Bob's conversation", `document.querySelector('[data-testid=conversation-item][data-receiver="contact:`+w.bob.ID()+`"]')`, 1)
	p.waitJS("Bob's chat", `document.querySelector('[data-testid=chat-view][data-receiver="contact:`+w.bob.ID()+`"]')`)
}
