package window

import (
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// react picks the first quick reaction in the menu of Bob's text: Bob's
// phone gets Alice's reaction to it, and the window shows it as her chip.
// First the pointer rests on the empty part of the text's row: the row's
// hover buttons are drawn and shown, and the bubble keeps its width.
func (w *actionsWorld) react(t *testing.T) {
	p := w.page.on(t)
	q := w.bobSays(t, "Lunch at noon?")
	bubble := bubbleJS("Lunch at noon?", false)
	var before, after float64
	p.value(`(`+bubble+`).getBoundingClientRect().width`, &before)
	p.focusWindow()
	p.hover("the row of “Lunch at noon?”", rowJS("Lunch at noon?", false), 0.8, 0.5)
	p.waitJS("the hover buttons of “Lunch at noon?”", `(() => {
		const more = (`+bubble+`)?.querySelector('[data-testid=message-more]');
		return more instanceof Element && getComputedStyle(more).opacity === '1';
	})()`)
	p.value(`(`+bubble+`).getBoundingClientRect().width`, &after)
	if before != after {
		t.Errorf("the bubble is %.1f px wide with its hover buttons, %.1f px without", after, before)
	}
	// No screenshot of it: under Xvfb the window's capture does not show a
	// change that only the pointer's position made (nor did it with the
	// buttons always there and shown by :hover); the page's own state does.
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
