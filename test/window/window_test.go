// Package window is the desktop window smoke test: it starts the real
// kurier binary under Xvfb, finds its window with xdotool, screenshots it with
// ImageMagick's import and checks what was drawn, then stops it with SIGTERM.
//
// It runs when KURIER_BINARY names the built desktop binary (`make
// test-window` sets it); screenshots go to KURIER_ARTIFACTS (default
// build/test-artifacts).
package window

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kurier/kurier/app/store"
)

const (
	windowTitle   = "Kurier"
	appearTimeout = 60 * time.Second
	renderTimeout = 30 * time.Second
	exitTimeout   = 5 * time.Second
)

// startXvfb starts a private X server on a free display and returns its name.
func startXvfb(t testing.TB) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb (apt-get install xvfb): %v", err)
	}
	_ = w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb reported display %q", n)
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not report a display")
	}
	return ""
}

// app is one running desktop process.
type app struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has been waited for
	err    error         // its exit status, valid after exited is closed
	log    string
}

func startApp(t testing.TB, binary, display, dataDir, logPath string, args ...string) *app {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, append([]string{"--data", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &app{cmd: cmd, exited: make(chan struct{}), log: logPath}
	go func() {
		a.err = cmd.Wait()
		_ = logf.Close()
		close(a.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-a.exited
	})
	return a
}

func (a *app) logText() string {
	b, _ := os.ReadFile(a.log)
	return string(b)
}

func xdotool(display string, args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// findWindow waits for a visible window titled exactly "Kurier".
func findWindow(t testing.TB, a *app, display string) string {
	t.Helper()
	return searchWindow(t, a, display, true)
}

// firstWindow returns kurier's window as soon as it is visible, while GTK
// may still title it "kurier": the moment its first frames are drawn.
func firstWindow(t testing.TB, a *app, display string) string {
	t.Helper()
	return searchWindow(t, a, display, false)
}

func searchWindow(t testing.TB, a *app, display string, exactTitle bool) string {
	t.Helper()
	deadline := time.Now().Add(appearTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-a.exited:
			t.Fatalf("kurier exited before showing a window: %v\n%s", a.err, a.logText())
		default:
		}
		// xdotool's --name matches without case: GTK shows the program name
		// "kurier" for a moment before Wails sets the title.
		out, err := xdotool(display, "search", "--onlyvisible", "--name", "^"+windowTitle+"$")
		if err == nil && out != "" {
			id := strings.Fields(out)[0]
			if !exactTitle {
				return id
			}
			if name, err := xdotool(display, "getwindowname", id); err == nil && name == windowTitle {
				return id
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no visible %q window after %s\n%s", windowTitle, appearTimeout, a.logText())
	return ""
}

func screenshot(display, id, path string) (image.Image, error) {
	cmd := exec.Command("import", "-window", id, "png:"+path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("import: %w: %s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return png.Decode(f)
}

type rgb struct{ r, g, b float64 }

func (c rgb) dist(o rgb) float64 {
	return math.Sqrt((c.r-o.r)*(c.r-o.r) + (c.g-o.g)*(c.g-o.g) + (c.b-o.b)*(c.b-o.b))
}

func (c rgb) luma() float64 { return 0.2126*c.r + 0.7152*c.g + 0.0722*c.b }

// mean is the average colour (0–255 per channel) of r within img.
func mean(img image.Image, r image.Rectangle) rgb {
	var sum rgb
	n := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			sum.r += float64(cr >> 8)
			sum.g += float64(cg >> 8)
			sum.b += float64(cb >> 8)
			n++
		}
	}
	return rgb{sum.r / n, sum.g / n, sum.b / n}
}

// distinctColours counts the colours in img, up to limit.
func distinctColours(img image.Image, limit int) int {
	seen := make(map[uint32]struct{})
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = struct{}{}
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// regions are the sidebar (left, below the search box) and the main pane
// (right edge), away from text, in window coordinates.
func regions(b image.Rectangle) (sidebar, main image.Rectangle) {
	h := b.Dy()
	sidebar = image.Rect(b.Min.X+8, b.Min.Y+h/2, b.Min.X+280, b.Min.Y+h-60)
	main = image.Rect(b.Max.X-160, b.Min.Y+40, b.Max.X-8, b.Min.Y+h/3)
	return sidebar, main
}

// shot is a rendered window: the screenshot and its two region colours.
type shot struct {
	img           image.Image
	sidebar, main rgb
}

// waitRendered screenshots until the UI has drawn its two-pane layout.
func waitRendered(t testing.TB, display, id, path string) shot {
	t.Helper()
	deadline := time.Now().Add(renderTimeout)
	var last shot
	var err error
	for time.Now().Before(deadline) {
		var img image.Image
		img, err = screenshot(display, id, path)
		if err == nil {
			sb, mb := regions(img.Bounds())
			last = shot{img: img, sidebar: mean(img, sb), main: mean(img, mb)}
			if distinctColours(img, 64) >= 16 && last.sidebar.dist(last.main) > 8 {
				return last
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("window never showed the two-pane UI (last error %v, sidebar %v, main %v); see %s", err, last.sidebar, last.main, path)
	return shot{}
}

// noFlash reads rows of the window straight from the X server, as fast as
// it can, for its first 1.5 s, and fails on a frame in the other theme's
// colours: a window painted in the theme's grey by GTK, or white by the web
// view, before a dark UI (or dark before a light one) flashes at the user.
// `import` takes a tenth of a second a frame and missed such frames.
//
// Pure black before the first frame is not a colour anyone drew: Xvfb has
// no compositor, so it shows a just-mapped window's undefined content until
// GTK draws (a compositing window manager never shows a window before its
// first frame); such frames are counted, not failed. A failing frame is kept
// at path.
func noFlash(t testing.TB, display, id, path string, dark bool) {
	t.Helper()
	g := newGrabber(t, display)
	frames, undrawn := 0, 0
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		l, blank, err := g.rowsLuma(id)
		if err != nil {
			continue // not mapped yet
		}
		frames++
		if blank && frames == undrawn+1 {
			undrawn++
			continue
		}
		if (!dark && l < 80) || (dark && l > 170) {
			if img, err := g.grab(id); err == nil {
				savePNG(t, img, path)
			}
			t.Fatalf("frame %d of the first 1.5 s has mean luma %.0f, a flash of the other theme (dark UI: %v); see %s", frames, l, dark, path)
		}
	}
	_ = os.Remove(path)
	t.Logf("first 1.5 s: %d frames (the first %d not drawn yet), none in the other theme's colours", frames, undrawn)
}

func rssKiB(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, errors.New("no VmRSS")
}

// stop sends SIGTERM and requires a clean exit within exitTimeout.
func stop(t testing.TB, a *app) {
	t.Helper()
	start := time.Now()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.exited:
		if a.err != nil {
			t.Fatalf("kurier exited with %v after SIGTERM\n%s", a.err, a.logText())
		}
		t.Logf("exited cleanly %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	case <-time.After(exitTimeout):
		t.Fatalf("kurier still running %s after SIGTERM\n%s", exitTimeout, a.logText())
	}
}

func setup(t testing.TB) (binary, artifacts string) {
	t.Helper()
	binary = os.Getenv("KURIER_BINARY")
	if binary == "" {
		t.Skip("KURIER_BINARY is not set; `make test-window` builds the app and runs this test")
	}
	binary, err := filepath.Abs(binary)
	if err != nil {
		t.Fatal(err)
	}
	// A relative path is taken from this package's directory (go test runs
	// in it), not from where make was called.
	if _, err := os.Stat(binary); err != nil {
		t.Fatalf("KURIER_BINARY: %v (give an absolute path)", err)
	}
	artifacts = os.Getenv("KURIER_ARTIFACTS")
	if artifacts == "" {
		artifacts = "../../build/test-artifacts"
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	return binary, artifacts
}

// TestWindowSmoke starts Kurier on a fresh profile: a visible window titled
// "Kurier" that draws a sidebar distinct from the main pane, and a clean exit
// on SIGTERM.
func TestWindowSmoke(t *testing.T) {
	binary, artifacts := setup(t)
	display := startXvfb(t)
	a := startApp(t, binary, display, t.TempDir(), filepath.Join(artifacts, "window.log"))
	started := time.Now()
	first := firstWindow(t, a, display)
	t.Logf("window %s appeared after %s", first, time.Since(started).Round(time.Millisecond))
	noFlash(t, display, first, filepath.Join(artifacts, "window-first-frames.png"), false)
	id := findWindow(t, a, display)
	title, err := xdotool(display, "getwindowname", id)
	if err != nil || title != windowTitle {
		t.Fatalf("window title %q (%v), want %q", title, err, windowTitle)
	}
	path := filepath.Join(artifacts, "window.png")
	s := waitRendered(t, display, id, path)
	b := s.img.Bounds()
	if b.Dx() < 700 || b.Dy() < 450 {
		t.Errorf("window is %dx%d, smaller than its minimum size", b.Dx(), b.Dy())
	}
	t.Logf("screenshot %s: %dx%d, sidebar %v, main pane %v", path, b.Dx(), b.Dy(), s.sidebar, s.main)

	if wait := 5*time.Second - time.Since(started); wait > 0 {
		time.Sleep(wait)
	}
	if rss, err := rssKiB(a.cmd.Process.Pid); err == nil {
		t.Logf("RSS 5 s after start: %d KiB (the kurier process only; WebKit's web process is separate)", rss)
	}
	stop(t, a)
}

// TestWindowDarkTheme starts Kurier on a profile whose stored theme is dark:
// the preference reaches the UI through the bridge and the store.
func TestWindowDarkTheme(t *testing.T) {
	binary, artifacts := setup(t)
	dataDir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dataDir, "kurier.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(context.Background(), "theme", "dark"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	display := startXvfb(t)
	a := startApp(t, binary, display, dataDir, filepath.Join(artifacts, "window-dark.log"))
	noFlash(t, display, firstWindow(t, a, display), filepath.Join(artifacts, "window-dark-first-frames.png"), true)
	id := findWindow(t, a, display)
	s := waitRendered(t, display, id, filepath.Join(artifacts, "window-dark.png"))
	if s.main.luma() > 80 || s.sidebar.luma() > 80 {
		t.Fatalf("dark theme not drawn: sidebar %v, main pane %v", s.sidebar, s.main)
	}
	stop(t, a)
}

// TestWindowNarrow narrows the window below 700 px: the UI switches to one
// pane, the conversation list across the whole width (as on a phone), so the
// right edge shows the sidebar's colour instead of the main pane's.
func TestWindowNarrow(t *testing.T) {
	binary, artifacts := setup(t)
	display := startXvfb(t)
	a := startApp(t, binary, display, t.TempDir(), filepath.Join(artifacts, "window-narrow.log"))
	id := findWindow(t, a, display)
	wide := waitRendered(t, display, id, filepath.Join(artifacts, "window-narrow.png"))
	if _, err := xdotool(display, "windowsize", id, "420", "720"); err != nil {
		t.Fatalf("xdotool windowsize: %v", err)
	}
	path := filepath.Join(artifacts, "window-narrow.png")
	deadline := time.Now().Add(renderTimeout)
	for {
		img, err := screenshot(display, id, path)
		if err == nil && img.Bounds().Dx() <= 440 {
			b := img.Bounds()
			left := mean(img, image.Rect(b.Min.X+8, b.Min.Y+b.Dy()/2, b.Min.X+60, b.Max.Y-60))
			right := mean(img, image.Rect(b.Max.X-60, b.Min.Y+b.Dy()/2, b.Max.X-8, b.Max.Y-60))
			if left.dist(right) < 8 && right.dist(wide.sidebar) < 12 {
				t.Logf("narrow window %dx%d shows the list across its width (left %v, right %v)", b.Dx(), b.Dy(), left, right)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("narrow window %dx%d does not show one pane: left %v, right %v, sidebar %v; see %s", b.Dx(), b.Dy(), left, right, wide.sidebar, path)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("window not narrowed (err %v); see %s", err, path)
		}
		time.Sleep(300 * time.Millisecond)
	}
	stop(t, a)
}
