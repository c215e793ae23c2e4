package window

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
)

// TestWindowRecordsVoiceMessage records a voice message in the real window
// (WebKitGTK's MediaRecorder, WebKit's mock microphone under Xvfb) and sends
// it: Bob's phone receives an audio file from Alice. Before the window
// turned media streams on and granted the microphone, WebKitGTK had no
// navigator.mediaDevices and the record button was hidden.
func TestWindowRecordsVoiceMessage(t *testing.T) {
	binary, artifacts := setup(t)
	t.Setenv("KURIER_MOCK_CAPTURE", "1")
	backendFile := phonetest.Backend(t)
	alice, _ := phonetest.Phone(t, backendFile, "Alice")
	bob, bobEvents := phonetest.Phone(t, backendFile, "Bob")
	phonetest.Befriend(t, alice, bob)
	ctx, cancel := context.WithTimeout(context.Background(), pairTimeout)
	defer cancel()
	if _, err := bob.SendText(ctx, alice.ID(), "send me a voice message"); err != nil {
		t.Fatal(err)
	}
	desktops := webclient.New(alice, webclient.Config{})
	t.Cleanup(func() { _ = desktops.Close() })

	display := startXvfb(t)
	a := startApp(t, binary, display, t.TempDir(), filepath.Join(artifacts, "window-voice.log"), "--backend", backendFile)
	id := findWindow(t, a, display)
	pairByQR(t, display, id, a, desktops, filepath.Join(artifacts, "window-voice-pairing.png"))
	g := newGrabber(t, display)
	for deadline := time.Now().Add(renderTimeout); ; time.Sleep(100 * time.Millisecond) {
		if img, err := g.grab(id); err == nil && listDrawn(img) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no conversation listed\n%s", a.logText())
		}
	}
	// Open Bob's chat (the only row), then press the microphone button at
	// the composer's right end, record, and press the same place to send.
	click(t, display, id, 150, 134)
	time.Sleep(time.Second)
	img, err := g.grab(id)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	mic := [2]int{b.Dx() - 32, b.Dy() - 32}
	savePNG(t, img, filepath.Join(artifacts, "window-voice-chat.png"))
	click(t, display, id, mic[0], mic[1])
	time.Sleep(2500 * time.Millisecond)
	if img, err := g.grab(id); err == nil {
		savePNG(t, img, filepath.Join(artifacts, "window-voice-recording.png"))
	}
	click(t, display, id, mic[0], mic[1])
	ev := phonetest.Wait(t, bobEvents, "a voice message from Alice", func(ev phone.Event) bool {
		if ev.Kind != phone.EventMessage || ev.Message == nil || ev.Message.Sender != alice.ID() {
			return false
		}
		fi, err := phone.FileInfoOf(*ev.Message)
		return err == nil && strings.HasPrefix(fi.MIME, "audio/")
	})
	fi, _ := phone.FileInfoOf(*ev.Message)
	t.Logf("Bob received %q (%s, %d bytes)", fi.Name, fi.MIME, fi.Size)
	if fi.Size < 1000 {
		t.Errorf("a 2.5 s recording of %d bytes", fi.Size)
	}
	time.Sleep(time.Second)
	if img, err := g.grab(id); err == nil {
		savePNG(t, img, filepath.Join(artifacts, "window-voice-sent.png"))
	}
	stop(t, a)
}

// click clicks at x, y in the window.
func click(t testing.TB, display, id string, x, y int) {
	t.Helper()
	if _, err := xdotool(display, "mousemove", "--window", id, strconv.Itoa(x), strconv.Itoa(y), "click", "1"); err != nil {
		t.Fatalf("xdotool click at %d,%d: %v", x, y, err)
	}
}
