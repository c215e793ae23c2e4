package window

import (
	"context"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
)

// phoneAway takes Alice's phone off the link (its desktop server closes, as
// when the phone goes out of reach): texts written meanwhile wait in the
// window, saying so, and reach Bob in the order written once the phone,
// serving again, reconnects the remembered session.
func (w *actionsWorld) phoneAway(t *testing.T) {
	p := w.page.on(t)
	if err := w.desktops.Close(); err != nil {
		t.Fatal(err)
	}
	p.waitJS("the link lost", `document.querySelector('[data-testid=link-state]')?.dataset.state !== 'connected'`)
	texts := []string{"Written while my phone was away", "and a second one after it"}
	for _, text := range texts {
		p.click("the composer", `document.querySelector('[data-testid=composer]')`, 1)
		p.typeText(text)
		p.waitJS("“"+text+"” typed", `document.querySelector('[data-testid=composer]').value === `+js(text))
		p.key("Return")
		p.waitJS("“"+text+"” waiting for the phone", `(`+rowJS(text, true)+`)?.dataset.state === 'queued'`)
	}
	p.waitJS("“Waiting for your phone” on the queued text", `(`+rowJS(texts[0], true)+`).textContent.includes('Waiting for your phone')`)
	p.shotAs("away")

	back := webclient.New(w.alice, webclient.Config{})
	t.Cleanup(func() { _ = back.Close() })
	w.desktops = back
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go back.KeepConnected(ctx)
	p.waitJS("the link back", `document.querySelector('[data-testid=link-state]')?.dataset.state === 'connected'`)
	for _, text := range texts {
		phonetest.Wait(t, w.bobEvents, "“"+text+"”, in order", func(ev phone.Event) bool {
			return ev.Kind == phone.EventMessage && ev.Message != nil && ev.Message.Sender == w.alice.ID() && ev.Message.Body == text
		})
	}
	for _, text := range texts {
		p.waitJS("“"+text+"” sent", sentJS(text))
	}
	p.shotAs("away-delivered")
}
