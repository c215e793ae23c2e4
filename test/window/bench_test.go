package window

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// The benchmarks of the real window (docs/benchmarks.md): `make bench-window`,
// or KURIER_BINARY=build/bin/kurier go test -run '^$' -bench Window ./test/window/.

// firstAvatar is a patch inside the first conversation row's avatar (window
// coordinates): the sidebar's grey until the list is drawn, and a colour
// then (not text: "No conversations yet" is drawn further right).
var firstAvatar = image.Rect(15, 126, 21, 142)

// listDrawn reports whether img shows a conversation row's avatar.
func listDrawn(img image.Image) bool {
	c := mean(img, firstAvatar)
	return c.dist(mean(img, image.Rect(4, 300, 10, 320))) > 25 && max(c.r, c.g, c.b)-min(c.r, c.g, c.b) > 20
}

// grabber reads a window's pixels straight from the X server: a few
// milliseconds a frame, where `import` takes a tenth of a second.
type grabber struct{ conn *xgb.Conn }

func newGrabber(tb testing.TB, display string) *grabber {
	tb.Helper()
	xgb.Logger = log.New(io.Discard, "", 0) // no Xauthority under Xvfb: said on every connection
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		tb.Fatalf("connect to X display %s: %v", display, err)
	}
	tb.Cleanup(conn.Close)
	return &grabber{conn: conn}
}

// grab returns the window's current pixels.
func (g *grabber) grab(id string) (*image.RGBA, error) {
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil {
		return nil, err
	}
	d := xproto.Drawable(n)
	geo, err := xproto.GetGeometry(g.conn, d).Reply()
	if err != nil {
		return nil, fmt.Errorf("get geometry: %w", err)
	}
	w, h := int(geo.Width), int(geo.Height)
	reply, err := xproto.GetImage(g.conn, xproto.ImageFormatZPixmap, d, 0, 0, geo.Width, geo.Height, 0xffffffff).Reply()
	if err != nil {
		return nil, fmt.Errorf("get image: %w", err)
	}
	if len(reply.Data) < w*h*4 {
		return nil, fmt.Errorf("get image: %d bytes for %dx%d", len(reply.Data), w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ { // the X server's pixels are BGRX
		p := reply.Data[i*4 : i*4+4]
		img.Pix[i*4], img.Pix[i*4+1], img.Pix[i*4+2], img.Pix[i*4+3] = p[2], p[1], p[0], 0xff
	}
	return img, nil
}

// rowsLuma is the mean luma of four rows across the window (at 1/8, 3/8,
// 5/8 and 7/8 of its height): four small reads, so that frames that last a
// few tens of milliseconds are seen. undrawn reports rows of pure black
// (0, 0, 0), what Xvfb shows of a window GTK has not drawn yet.
func (g *grabber) rowsLuma(id string) (luma float64, undrawn bool, err error) {
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil {
		return 0, false, err
	}
	d := xproto.Drawable(n)
	geo, err := xproto.GetGeometry(g.conn, d).Reply()
	if err != nil {
		return 0, false, fmt.Errorf("get geometry: %w", err)
	}
	undrawn = true
	var sum float64
	var px int
	for _, eighth := range []int{1, 3, 5, 7} {
		y := int16(int(geo.Height) * eighth / 8)
		reply, err := xproto.GetImage(g.conn, xproto.ImageFormatZPixmap, d, 0, y, geo.Width, 1, 0xffffffff).Reply()
		if err != nil {
			return 0, false, fmt.Errorf("get image: %w", err)
		}
		for i := 0; i+3 < len(reply.Data) && i/4 < int(geo.Width); i += 4 { // BGRX
			undrawn = undrawn && reply.Data[i] == 0 && reply.Data[i+1] == 0 && reply.Data[i+2] == 0
			sum += rgb{r: float64(reply.Data[i+2]), g: float64(reply.Data[i+1]), b: float64(reply.Data[i])}.luma()
			px++
		}
	}
	if px == 0 {
		return 0, false, fmt.Errorf("get image: no pixels")
	}
	return sum / float64(px), undrawn, nil
}

// waitList waits for the window to appear and draw its conversation list,
// and returns the time from start and the frame that showed it.
func waitList(tb testing.TB, a *app, g *grabber, display string, start time.Time) (time.Duration, *image.RGBA) {
	tb.Helper()
	deadline := start.Add(appearTimeout)
	id := ""
	for time.Now().Before(deadline) {
		select {
		case <-a.exited:
			tb.Fatalf("kurier exited: %v\n%s", a.err, a.logText())
		default:
		}
		if id == "" {
			out, err := xdotool(display, "search", "--onlyvisible", "--name", "^"+windowTitle+"$")
			if err == nil && out != "" {
				id = strings.Fields(out)[0]
			}
		}
		if id != "" {
			if img, err := g.grab(id); err == nil && listDrawn(img) {
				return time.Since(start), img
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Fatalf("no conversation list drawn within %s\n%s", appearTimeout, a.logText())
	return 0, nil
}

func savePNG(tb testing.TB, img image.Image, path string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if err := png.Encode(f, img); err != nil {
		tb.Fatal(err)
	}
}

// reportTimes reports the runs' mean as ns/op (the start time, not the
// benchmark loop's, which includes stopping the app) and their extremes.
func reportTimes(b *testing.B, times []time.Duration) {
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	var sum time.Duration
	for _, d := range times {
		sum += d
	}
	b.ReportMetric(float64(sum.Nanoseconds())/float64(len(times)), "ns/op")
	b.ReportMetric(float64(times[0].Milliseconds()), "min-ms")
	b.ReportMetric(float64(times[len(times)-1].Milliseconds()), "max-ms")
}

// BenchmarkWindowStart measures the time from starting kurier to its window
// showing the conversation list of the demo world: on a first start (a
// fresh profile: the world's identities are created and registered) and on
// a remembered profile.
func BenchmarkWindowStart(b *testing.B) {
	binary, artifacts := setup(b)
	display := startXvfb(b)
	g := newGrabber(b, display)
	run := func(b *testing.B, dataDir func() string, shot string) {
		var times []time.Duration
		for range b.N {
			dir := dataDir()
			start := time.Now()
			a := startApp(b, binary, display, dir, filepath.Join(artifacts, "bench-window.log"))
			d, img := waitList(b, a, g, display, start)
			times = append(times, d)
			savePNG(b, img, filepath.Join(artifacts, shot))
			stop(b, a)
		}
		reportTimes(b, times)
	}
	b.Run("first-start", func(b *testing.B) {
		run(b, b.TempDir, "bench-first-start.png")
	})
	b.Run("remembered", func(b *testing.B) {
		profile := b.TempDir()
		a := startApp(b, binary, display, profile, filepath.Join(artifacts, "bench-window.log"))
		waitList(b, a, g, display, time.Now())
		stop(b, a)
		run(b, func() string { return profile }, "bench-remembered.png")
	})
}

// miniBrowser is WebKitGTK's own minimal browser (Debian's
// libwebkit2gtk-4.1-0 ships it): the engine's floor for a window with a page.
const miniBrowser = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"

// BenchmarkWebKitFloor is the baseline of BenchmarkWindowStart: the time
// from starting WebKitGTK's MiniBrowser on a one-colour page to the page
// drawn in its window, on the same machine in the same run.
func BenchmarkWebKitFloor(b *testing.B) {
	if _, err := os.Stat(miniBrowser); err != nil {
		b.Skipf("no %s", miniBrowser)
	}
	page := filepath.Join(b.TempDir(), "floor.html")
	if err := os.WriteFile(page, []byte(`<!doctype html><title>Kurier</title><body style="background:#ff0000">`), 0o644); err != nil {
		b.Fatal(err)
	}
	display := startXvfb(b)
	g := newGrabber(b, display)
	var times []time.Duration
	for range b.N {
		start := time.Now()
		cmd := exec.Command(miniBrowser, "file://"+page)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		drawn := false
		for !drawn && time.Since(start) < appearTimeout {
			out, err := xdotool(display, "search", "--onlyvisible", "--name", "^"+windowTitle)
			if err == nil && out != "" {
				if img, err := g.grab(strings.Fields(out)[0]); err == nil {
					c := mean(img, img.Bounds().Inset(img.Bounds().Dx()/3))
					drawn = c.r > 200 && c.g < 60 && c.b < 60
				}
			}
			if !drawn {
				time.Sleep(5 * time.Millisecond)
			}
		}
		times = append(times, time.Since(start))
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if !drawn {
			b.Fatal("MiniBrowser drew no page")
		}
	}
	reportTimes(b, times)
}

// BenchmarkWindowMemory measures the proportional set size (PSS: shared
// pages divided among their users) of kurier's whole process tree
// (kurier, WebKit's web and network processes), idle, KURIER_MEMORY_WAIT
// (default 60 s) after the conversation list was drawn: on the embedded
// demo world, and with --backend (an external backend and a phone, both
// outside kurier's processes, paired by the QR code).
func BenchmarkWindowMemory(b *testing.B) {
	binary, artifacts := setup(b)
	wait := 60 * time.Second
	if s := os.Getenv("KURIER_MEMORY_WAIT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("KURIER_MEMORY_WAIT: %v", err)
		}
		wait = d
	}
	measure := func(b *testing.B, a *app, display string, g *grabber, start time.Time, shot string) {
		_, img := waitList(b, a, g, display, start)
		savePNG(b, img, filepath.Join(artifacts, shot))
		time.Sleep(wait)
		procs, err := processTree(a.cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		var total int
		for _, p := range procs {
			b.Logf("%-16s pid %-7d PSS %7d KiB", p.name, p.pid, p.pssKiB)
			total += p.pssKiB
			b.ReportMetric(float64(p.pssKiB)/1024, p.metric()+"-PSS-MiB")
		}
		b.ReportMetric(float64(total)/1024, "PSS-MiB")
		stop(b, a)
	}
	b.Run("demo-world", func(b *testing.B) {
		for range b.N {
			display := startXvfb(b)
			g := newGrabber(b, display)
			start := time.Now()
			a := startApp(b, binary, display, b.TempDir(), filepath.Join(artifacts, "bench-memory.log"))
			measure(b, a, display, g, start, "bench-memory-demo.png")
		}
	})
	b.Run("backend", func(b *testing.B) {
		for range b.N {
			texts := make([]string, 20)
			for i := range texts {
				texts[i] = fmt.Sprintf("message %d from Bob", i)
			}
			f := newFriends(b, texts...)
			display := startXvfb(b)
			g := newGrabber(b, display)
			start := time.Now()
			a := startApp(b, binary, display, b.TempDir(), filepath.Join(artifacts, "bench-memory-backend.log"), "--backend", f.backendFile)
			id := findWindow(b, a, display)
			pairByQR(b, display, id, a, f.desktops, filepath.Join(artifacts, "bench-memory-pairing.png"))
			measure(b, a, display, g, start, "bench-memory-backend.png")
		}
	})
}

// proc is one process of kurier's tree.
type proc struct {
	pid    int
	name   string
	pssKiB int
}

// metric names the process in a benchmark metric.
func (p proc) metric() string {
	switch {
	case strings.HasPrefix(p.name, "WebKitWebProc"):
		return "web"
	case strings.HasPrefix(p.name, "WebKitNetwork"):
		return "network"
	}
	return p.name
}

// processTree lists root and its descendants with their PSS.
func processTree(root int) ([]proc, error) {
	parents := map[int][]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		fields := strings.Fields(rest)
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		parents[ppid] = append(parents[ppid], pid)
	}
	var out []proc
	var walk func(pid int) error
	walk = func(pid int) error {
		name, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		pss, err := pssKiB(pid)
		if err != nil {
			return err
		}
		out = append(out, proc{pid: pid, name: strings.TrimSpace(string(name)), pssKiB: pss})
		for _, c := range parents[pid] {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root)
}

// pssKiB reads a process's PSS from /proc/PID/smaps_rollup.
func pssKiB(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Pss:" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no Pss in /proc/%d/smaps_rollup", pid)
}
