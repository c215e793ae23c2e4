package window

import (
	"context"
	"errors"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
)

// buttonJS is the button reading text inside the element of expr.
func buttonJS(expr, text string) string {
	return `[...(` + expr + `)?.querySelectorAll('button') ?? []].find((b) => b.textContent.trim() === ` + js(text) + `)`
}

// endAndDeleteGroup ends a group of Alice's own through the groups panel
// (asked first): Bob's phone sees it ended; then deletes it (asked again):
// it is gone from Alice's phone. Bob's chat is open again afterwards.
func (w *actionsWorld) endAndDeleteGroup(t *testing.T) {
	p := w.page.on(t)
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	g, err := w.alice.CreateGroup(ctx, "Crew", []string{w.bob.ID()})
	if err != nil {
		t.Fatal(err)
	}
	p.click("Groups and lists", `document.querySelector('button[aria-label="Groups and lists"]')`, 1)
	row := `[...document.querySelectorAll('li')].find((li) => li.textContent.includes('Crew'))`
	p.waitJS("the group in the panel", row)
	p.click("Edit", buttonJS(row, "Edit"), 1)
	p.click("End group", buttonJS(row, "End group"), 1)
	p.waitJS("the question", `document.querySelector('[data-testid=confirm-dialog]')?.textContent.includes('End “Crew”?')`)
	p.shotAs("group-end")
	p.click("End group in the question", `document.querySelector('[data-testid=confirm-ok]')`, 1)
	phonetest.Wait(t, w.bobEvents, "Crew ended at Bob's", func(ev phone.Event) bool {
		return ev.Kind == phone.EventGroup && ev.Group != nil && ev.Group.ID == g.ID && ev.Group.Left
	})
	p.waitJS("Delete on the ended group", buttonJS(row, "Delete"))
	p.click("Delete", buttonJS(row, "Delete"), 1)
	p.waitJS("the second question", `document.querySelector('[data-testid=confirm-dialog]')?.textContent.includes('Delete “Crew”?')`)
	p.shotAs("group-delete")
	p.click("Delete in the question", `document.querySelector('[data-testid=confirm-ok]')`, 1)
	p.waitJS("the group gone from the panel", `!(`+row+`)`)
	if _, err := w.alice.Group(ctx, g.Creator, g.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Crew is still on Alice's phone: %v", err)
	}
	p.click("Close", buttonJS(`document`, "Close"), 1)
	p.click("Bob's conversation", `document.querySelector('[data-testid=conversation-item][data-receiver="contact:`+w.bob.ID()+`"]')`, 1)
	p.waitJS("Bob's chat", `document.querySelector('[data-testid=chat-view][data-receiver="contact:`+w.bob.ID()+`"]')`)
}
