package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// fakeSaver stands for the window's Save dialog: it answers with path.
type fakeSaver struct {
	path  string
	asked []string
}

func (f *fakeSaver) SavePath(name string) (string, error) {
	f.asked = append(f.asked, name)
	return f.path, nil
}

// receivedFile waits for Bob's phone to receive the file named name and
// returns its file info.
func receivedFile(t *testing.T, ch <-chan store.Message, name string) phone.FileInfo {
	t.Helper()
	m := waitMessage(t, ch, func(m store.Message) bool {
		fi, err := phone.FileInfoOf(m)
		return err == nil && fi.Name == name
	})
	fi, _ := phone.FileInfoOf(m)
	return fi
}

// TestSendAsFile: an image sent as media reaches Bob's phone with the
// rendering type "media" and shows as an image; sent "as a file" it has
// the rendering type "file" (its thumbnail kept) and shows as a file on
// both desktops' phones — also when it waited in the outbox while the phone
// was away. SaveFile writes a message's file where the Save dialog says.
func TestSendAsFile(t *testing.T) {
	w := newWorld(t)
	bobGot := phoneMessages(w.bob)
	saver := &fakeSaver{}
	d, err := app.Start(context.Background(), app.Config{DataDir: t.TempDir(), Mode: app.ModeWindow, Signaling: w.sig,
		VaultCost: 10, Saver: saver})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	ev := record(d)
	st, err := d.Link.StartPairing(app.PairingOptions{Remember: true, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	pairAndSync(t, w, ev, st.PairingCode)
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	img := testPNG(t)
	upload := func(name string, asFile bool) app.FileUpload {
		return app.FileUpload{Name: name, Mime: "image/png", Data: base64.StdEncoding.EncodeToString(img), Caption: "caption of " + name, SendAsFile: asFile}
	}

	// Written while the phone is away: the outbox keeps the choice.
	mark := ev.mark()
	w.stopDesktops()
	ev.waitFrom(t, mark, "disconnected", linkState(app.LinkDisconnected))
	queued, err := d.Chat.SendFile(bobR, upload("queued.png", true))
	if err != nil || queued.State != app.StateQueued || queued.Type != "file" {
		t.Fatalf("SendFile as a file while the phone is away: %+v, %v", queued, err)
	}
	// A recording's length goes with it ("x.d"), from the outbox too.
	voice := func(name string, seconds float64) app.FileUpload {
		return app.FileUpload{Name: name, Mime: "audio/mp4", Data: base64.StdEncoding.EncodeToString([]byte("not really AAC")), Duration: seconds}
	}
	if _, err := d.Chat.SendFile(bobR, voice("queued-voice.m4a", 2.5)); err != nil {
		t.Fatalf("SendFile of a recording while the phone is away: %v", err)
	}
	if _, err := d.Chat.SendFile(bobR, voice("negative.m4a", -1)); app.CodeOf(err) != app.CodeInvalidInput {
		t.Fatalf("SendFile with a negative duration: %v", err)
	}
	mark = ev.mark()
	w.startDesktops()
	ev.waitFrom(t, mark, "reconnected", linkState(app.LinkConnected))
	if fi := receivedFile(t, bobGot, "queued.png"); fi.Rendering != int(e2e.RenderingFile) {
		t.Fatalf("Bob got the queued image with rendering %d, want file", fi.Rendering)
	}
	if fi := receivedFile(t, bobGot, "queued-voice.m4a"); fi.Duration != 2.5 {
		t.Fatalf("Bob got the queued recording with the duration %v, want 2.5", fi.Duration)
	}
	if _, err := d.Chat.SendFile(bobR, voice("voice.m4a", 61.3)); err != nil {
		t.Fatal(err)
	}
	if fi := receivedFile(t, bobGot, "voice.m4a"); fi.Duration != 61.3 {
		t.Fatalf("Bob got the recording with the duration %v, want 61.3", fi.Duration)
	}

	// With the phone here, straight out.
	media, err := d.Chat.SendFile(bobR, upload("media.png", false))
	if err != nil || media.Type != "image" {
		t.Fatalf("SendFile as media: %+v, %v", media, err)
	}
	if fi := receivedFile(t, bobGot, "media.png"); fi.Rendering != int(e2e.RenderingMedia) || fi.ThumbnailBlobID == "" {
		t.Fatalf("Bob got the image with rendering %d (thumbnail %q), want media", fi.Rendering, fi.ThumbnailBlobID)
	}
	asFile, err := d.Chat.SendFile(bobR, upload("as-file.png", true))
	if err != nil || asFile.Type != "file" || asFile.Text != "caption of as-file.png" {
		t.Fatalf("SendFile as a file: %+v, %v", asFile, err)
	}
	if fi := receivedFile(t, bobGot, "as-file.png"); fi.Rendering != int(e2e.RenderingFile) || fi.ThumbnailBlobID == "" || fi.MIME != "image/png" {
		t.Fatalf("Bob got the image sent as a file with rendering %d (thumbnail %q, %s), want file with a thumbnail", fi.Rendering, fi.ThumbnailBlobID, fi.MIME)
	}
	// The phone's own copy, as the desktop lists it, is a file too.
	ev.waitFrom(t, mark, "the phone's copy of the file", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		if !ok {
			return false
		}
		for _, m := range me.Messages {
			if m.File != nil && m.File.Name == "as-file.png" && m.Type == "file" && m.File.Thumbnail {
				return true
			}
		}
		return false
	})

	// Saving a file: where the dialog says, under its own name.
	saver.path = filepath.Join(t.TempDir(), "saved.png")
	saved, err := d.Chat.SaveFile(bobR, media.ID)
	if err != nil || saved.Path != saver.path {
		t.Fatalf("SaveFile: %+v, %v", saved, err)
	}
	if b, err := os.ReadFile(saver.path); err != nil || !bytes.Equal(b, img) {
		t.Fatalf("the saved file differs from the image sent (%d bytes, %v)", len(b), err)
	}
	if len(saver.asked) != 1 || saver.asked[0] != "media.png" {
		t.Fatalf("the dialog suggested %q", saver.asked)
	}
	saver.path = ""
	if saved, err := d.Chat.SaveFile(bobR, media.ID); err != nil || saved.Path != "" {
		t.Fatalf("SaveFile cancelled: %+v, %v", saved, err)
	}
	saver.path = filepath.Join(t.TempDir(), "no such folder", "x.png")
	if _, err := d.Chat.SaveFile(bobR, media.ID); app.CodeOf(err) != app.CodeCannotWrite {
		t.Fatalf("SaveFile into a missing folder: %v (code %s)", err, app.CodeOf(err))
	}
}

// TestSaveFileNeedsADialog: web mode has no Save dialog (the browser
// downloads instead).
func TestSaveFileNeedsADialog(t *testing.T) {
	t.Parallel()
	d, err := app.Start(context.Background(), app.Config{DataDir: t.TempDir(), Mode: app.ModeWeb})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Chat.SaveFile(app.Receiver{Type: app.ReceiverContact, ID: "ECHOECHO"}, "1"); !errors.Is(err, app.ErrNoSaver) {
		t.Fatalf("SaveFile without a dialog: %v", err)
	}
}
