package window

import (
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// sentJS is true once Alice's newest row with text has left for Bob.
func sentJS(text string) string {
	return `['sent', 'delivered', 'read'].includes((` + rowJS(text, true) + `)?.dataset.state)`
}

// edit changes Alice's sent text through its menu's Edit: the composer
// takes the text, the keyboard replaces it, and Bob's phone gets the edit;
// the window marks the bubble edited.
func (w *actionsWorld) edit(t *testing.T) {
	p := w.page.on(t)
	sent := w.aliceSends(t, "See you at 10")
	p.waitJS("“See you at 10” sent", sentJS("See you at 10"))
	w.openMenu(t, "See you at 10", true)
	p.click("Edit", menuItemJS(`[data-action=edit]`), 1)
	p.waitJS("the composer editing the text", `document.querySelector('[data-testid=editing]') && document.querySelector('[data-testid=composer]').value === 'See you at 10'`)
	p.key("ctrl+a")
	p.typeText("See you at 10:30")
	p.waitJS("the new text typed", `document.querySelector('[data-testid=composer]').value === 'See you at 10:30'`)
	p.shotAs("edit-composing")
	p.key("Return")
	phonetest.Wait(t, w.bobEvents, "the edit", func(ev phone.Event) bool {
		return ev.Kind == phone.EventMessageEdited && ev.Message != nil && ev.Message.MessageID == sent.Message.MessageID &&
			ev.Message.Body == "See you at 10:30"
	})
	p.waitJS("“edited” on the bubble", `(`+rowJS("See you at 10:30", true)+`)?.querySelector('.edited')`)
	p.shotAs("edit")
}

// deleteForEveryone deletes Alice's sent text through its menu and the
// confirmation: Bob's phone deletes it too, and the bubble is gone.
func (w *actionsWorld) deleteForEveryone(t *testing.T) {
	p := w.page.on(t)
	sent := w.aliceSends(t, "Oops, wrong chat.")
	p.waitJS("the slip sent", sentJS("Oops, wrong chat."))
	w.openMenu(t, "Oops, wrong chat.", true)
	p.shotAs("delete-menu")
	p.click("Delete for everyone", menuItemJS(`[data-action=deleteForEveryone]`), 1)
	p.click("the confirmation", `document.querySelector('[data-testid=confirm-ok]')`, 1)
	phonetest.Wait(t, w.bobEvents, "the deletion", func(ev phone.Event) bool {
		return ev.Kind == phone.EventMessageDeleted && (ev.MessageID == sent.Message.MessageID ||
			ev.Message != nil && ev.Message.MessageID == sent.Message.MessageID)
	})
	p.waitJS("the slip gone", `!(`+rowJS("Oops, wrong chat.", true)+`)`)
	p.shotAs("delete")
}
