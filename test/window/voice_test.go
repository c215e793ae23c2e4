package window

import (
	"image"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// TestWindowRecordsVoiceMessage records a voice message in the real window
// (WebKitGTK's MediaRecorder, WebKit's mock microphone under Xvfb) and sends
// it: Bob's phone receives an audio file from Alice. Before the window
// turned media streams on and granted the microphone, WebKitGTK had no
// navigator.mediaDevices and the record button was hidden.
func TestWindowRecordsVoiceMessage(t *testing.T) {
	binary, artifacts := setup(t)
	t.Setenv("KURIER_MOCK_CAPTURE", "1")
	f := newFriends(t, "send me a voice message")
	display := startXvfb(t)
	a := startApp(t, binary, display, t.TempDir(), filepath.Join(artifacts, "window-voice.log"), "--backend", f.backendFile)
	id := findWindow(t, a, display)
	pairByQR(t, display, id, a, f.desktops, filepath.Join(artifacts, "window-voice-pairing.png"))
	g := newGrabber(t, display)
	waitFrame(t, g, id, "Bob's conversation", filepath.Join(artifacts, "window-voice-list.png"), func(img *image.RGBA) bool { return listDrawn(img) })
	// Open Bob's chat (the only row), then press the microphone button at
	// the composer's right end, record, and press the same place to send.
	click(t, display, id, 150, 134)
	img, err := g.grab(id)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	x, y := b.Dx()-32, b.Dy()-32
	micShown := func(img *image.RGBA) bool { // the accent-green round button, right of its white glyph
		c := mean(img, image.Rect(x+9, y-3, x+15, y+3))
		return c.g > c.r+40 && c.g > c.b+10
	}
	waitFrame(t, g, id, "the chat with its microphone button", filepath.Join(artifacts, "window-voice-chat.png"), micShown)
	click(t, display, id, x, y)
	recording := func(img *image.RGBA) bool { // the red dot of the running recording in the composer's row
		return hasRed(img, image.Rect(300, y-16, b.Dx(), y+16))
	}
	waitFrame(t, g, id, "the recording", filepath.Join(artifacts, "window-voice-recording.png"), recording)
	time.Sleep(2500 * time.Millisecond)
	click(t, display, id, x, y)
	ev := phonetest.Wait(t, f.bobEvents, "a voice message from Alice", func(ev phone.Event) bool {
		if ev.Kind != phone.EventMessage || ev.Message == nil || ev.Message.Sender != f.alice.ID() {
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
	// The pointer leaves the send button, whose tooltip would otherwise be
	// caught half drawn (a black box) in the screenshot.
	if _, err := xdotool(display, "mousemove", "--window", id, strconv.Itoa(b.Dx()/2), "60"); err != nil {
		t.Logf("xdotool mousemove: %v", err)
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

// waitFrame waits for a frame of the window that ok accepts; the last frame
// is kept at path.
func waitFrame(t testing.TB, g *grabber, id, what, path string, ok func(*image.RGBA) bool) {
	t.Helper()
	var last *image.RGBA
	for deadline := time.Now().Add(renderTimeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		img, err := g.grab(id)
		if err != nil {
			continue
		}
		last = img
		if ok(img) {
			savePNG(t, img, path)
			return
		}
	}
	if last != nil {
		savePNG(t, last, path)
	}
	t.Fatalf("no frame shows %s; see %s", what, path)
}

// hasRed reports whether r holds a clearly red pixel.
func hasRed(img *image.RGBA, r image.Rectangle) bool {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			if p := img.Pix[i : i+3]; p[0] > 180 && p[1] < 110 && p[2] < 110 {
				return true
			}
		}
	}
	return false
}
