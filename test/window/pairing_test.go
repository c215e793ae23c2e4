package window

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
)

const pairTimeout = 60 * time.Second

// decodeQR returns the QR code zbarimg reads in the image at path ("" if none).
func decodeQR(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command("zbarimg", "--quiet", "--raw", path).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 4 { // no symbol found
			return ""
		}
		if strings.Contains(err.Error(), "executable file not found") {
			t.Fatal("zbarimg is missing: apt-get install zbar-tools (make deps does)")
		}
		return ""
	}
	return strings.TrimSpace(string(out))
}

// TestWindowPairsByQRCode starts Kurier on an external backend: the pairing
// screen's QR code is decoded from a screenshot of the real window, a
// virtual phone pairs with it through the real signaling server, and the
// next screenshots show the conversation list instead of the code.
func TestWindowPairsByQRCode(t *testing.T) {
	binary, artifacts := setup(t)
	f := newFriends(t, "hello Alice")

	display := startXvfb(t)
	a := startApp(t, binary, display, t.TempDir(), filepath.Join(artifacts, "window-pairing.log"), "--backend", f.backendFile)
	id := findWindow(t, a, display)

	start := pairByQR(t, display, id, a, f.desktops, filepath.Join(artifacts, "window-pairing.png"))

	listShot := filepath.Join(artifacts, "window-paired.png")
	for deadline := time.Now().Add(pairTimeout); ; time.Sleep(300 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the window still shows the pairing code or no conversation; see %s\n%s", listShot, a.logText())
		}
		img, err := screenshot(display, id, listShot)
		if err != nil || decodeQR(t, listShot) != "" {
			continue
		}
		if listDrawn(img) {
			break
		}
	}
	t.Logf("conversation list drawn %s after the phone scanned the code", time.Since(start).Round(time.Millisecond))
	stop(t, a)
}

// pairByQR reads the pairing code from the window's screenshot (kept at
// shot) and pairs desktops' phone with it; it returns when the phone has
// paired.
func pairByQR(t testing.TB, display, id string, a *app, desktops *webclient.Server, shot string) time.Time {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pairTimeout)
	defer cancel()
	var code string
	for deadline := time.Now().Add(pairTimeout); code == "" && time.Now().Before(deadline); {
		if _, err := screenshot(display, id, shot); err == nil {
			code = decodeQR(t, shot)
		}
		if code == "" {
			time.Sleep(300 * time.Millisecond)
		}
	}
	if code == "" {
		t.Fatalf("no QR code could be read from the window; see %s\n%s", shot, a.logText())
	}
	t.Logf("decoded the pairing code from %s (%d characters)", shot, len(code))
	start := time.Now()
	if _, err := desktops.Pair(ctx, code); err != nil {
		t.Fatalf("pair with the decoded code: %v\n%s", err, a.logText())
	}
	return start
}

// friends is a backend on loopback with Alice's and Bob's phones, friends,
// Bob having written texts to Alice, and the desktop server of Alice's
// phone, which a window started with --backend pairs with (pairByQR).
type friends struct {
	backendFile string
	alice, bob  *phone.Phone
	bobEvents   <-chan phone.Event
	desktops    *webclient.Server
}

func newFriends(t testing.TB, texts ...string) friends {
	t.Helper()
	f := friends{backendFile: phonetest.Backend(t)}
	f.alice, _ = phonetest.Phone(t, f.backendFile, "Alice")
	f.bob, f.bobEvents = phonetest.Phone(t, f.backendFile, "Bob")
	phonetest.Befriend(t, f.alice, f.bob)
	ctx, cancel := context.WithTimeout(context.Background(), pairTimeout)
	defer cancel()
	for _, text := range texts {
		if _, err := f.bob.SendText(ctx, f.alice.ID(), text); err != nil {
			t.Fatal(err)
		}
	}
	f.desktops = webclient.New(f.alice, webclient.Config{})
	t.Cleanup(func() { _ = f.desktops.Close() })
	return f
}
