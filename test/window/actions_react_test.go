package window

import (
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// react picks the first quick reaction in the menu of Bob's text: Bob's
// phone gets Alice's reaction to it, and the window shows it as her chip.
func (w *actionsWorld) react(t *testing.T) {
	p := w.page.on(t)
	q := w.bobSays(t, "Lunch at noon?")
	w.openMenu(t, "Lunch at noon?", false)
	var emoji string
	p.value(`document.querySelector('[data-testid=message-menu] .emoji')?.dataset.emoji ?? ''`, &emoji)
	if emoji == "" {
		t.Fatal("the message menu offers no reaction")
	}
	p.shotAs("react-menu")
	p.click("the reaction "+emoji, menuItemJS(`.emoji[data-emoji="`+emoji+`"]`), 1)
	phonetest.Wait(t, w.bobEvents, "Alice's "+emoji, func(ev phone.Event) bool {
		return ev.Kind == phone.EventMessageReaction && ev.Peer == w.alice.ID() && ev.Emoji == emoji && !ev.Withdraw &&
			ev.Message != nil && ev.Message.MessageID == q.MessageID
	})
	p.waitJS("Alice's "+emoji+" under Bob's text", `(`+rowJS("Lunch at noon?", false)+`)?.querySelector('.chip[data-emoji="`+emoji+`"][aria-pressed=true]')`)
	p.shotAs("react")
}
