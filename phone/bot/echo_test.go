package bot_test

import (
	"context"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/bot"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/protocol/e2e"
)

func TestEchoAnswersTextAndFile(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	a, aev := phonetest.Phone(t, bj, "A")
	b, _ := phonetest.Phone(t, bj, "Echo")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bot.Echo(ctx, b, nil) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	if _, err := a.SendText(ctx, b.ID(), "ping"); err != nil {
		t.Fatal(err)
	}
	e := phonetest.Wait(t, aev, "echo", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Peer == b.ID() })
	if e.Message.Body != "ping" {
		t.Fatalf("echo %q", e.Message.Body)
	}
	if _, err := a.SendFile(ctx, b.ID(), phone.FileInput{Name: "f.bin", Data: []byte{1, 2, 3}}); err != nil {
		t.Fatal(err)
	}
	e = phonetest.Wait(t, aev, "file echo", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Peer == b.ID() })
	data, err := a.DownloadFile(ctx, *e.Message)
	if err != nil || string(data) != "\x01\x02\x03" {
		t.Fatalf("%v %v", data, err)
	}
	// A voice message comes back as one, with its length.
	if _, err := a.SendFile(ctx, b.ID(), phone.FileInput{Name: "voice.ogg", MIME: "audio/ogg", Data: []byte("OggS"), Duration: 6.5}); err != nil {
		t.Fatal(err)
	}
	e = phonetest.Wait(t, aev, "voice echo", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Peer == b.ID() })
	if fi, err := phone.FileInfoOf(*e.Message); err != nil || fi.Duration != 6.5 || fi.MIME != "audio/ogg" || fi.Rendering != int(e2e.RenderingMedia) {
		t.Fatalf("voice echo %+v: %v", fi, err)
	}
	g, err := a.CreateGroup(ctx, "g", []string{b.ID()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SendGroupText(ctx, a.ID(), g.ID, "group ping"); err != nil {
		t.Fatal(err)
	}
	e = phonetest.Wait(t, aev, "group echo", func(e phone.Event) bool {
		return e.Kind == phone.EventMessage && e.Conversation == g.Key()
	})
	if e.Message.Body != "group ping" {
		t.Fatalf("%q", e.Message.Body)
	}
}
