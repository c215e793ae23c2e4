package window

import (
	"encoding/json"
	"fmt"
	"image"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// page drives the real window: it finds elements through the inspector and
// clicks and types at them through the X server, so WebKitGTK handles real
// pointer and key events.
type page struct {
	t         testing.TB
	ins       *inspector
	g         *grabber
	display   string
	id        string // the X window
	artifacts string
	off       image.Point // window coordinates minus the page's client coordinates
}

// openPage connects to the window's page and learns where the page sits in
// the window: it moves the pointer to a point and reads where the page saw
// it.
func openPage(t testing.TB, a *app, display, id, addr, artifacts string) *page {
	t.Helper()
	p := &page{t: t, ins: dialInspector(t, a, addr), g: newGrabber(t, display), display: display, id: id, artifacts: artifacts}
	// A listener of the page's own, reinstalled if a navigation lost it,
	// records where the page saw the pointer last.
	install := `{
		if (!('__kurierPointer' in window)) {
			addEventListener('mousemove', (e) => { window.__kurierPointer = [e.clientX, e.clientY]; }, true);
		}
		window.__kurierPointer = null;
	}`
	for _, at := range []image.Point{{300, 300}, {320, 310}} {
		var seen []int
		jiggle := 0
		p.wait("the page to see the pointer", func() bool {
			if err := p.ins.eval(install, nil); err != nil {
				return false
			}
			jiggle ^= 1
			if _, err := xdotool(display, "mousemove", "--window", id, strconv.Itoa(at.X+jiggle), strconv.Itoa(at.Y)); err != nil {
				t.Fatalf("xdotool mousemove: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
			if p.ins.eval(`window.__kurierPointer`, &seen) != nil || len(seen) != 2 {
				return false
			}
			p.off = image.Pt(at.X+jiggle-seen[0], at.Y-seen[1])
			return true
		})
	}
	t.Logf("the page's client area starts at %v in the window", p.off)
	return p
}

// on returns p for the (sub)test t: its failures end t.
func (p *page) on(t testing.TB) *page {
	c := *p
	c.t = t
	return &c
}

// js quotes s as a JavaScript string.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// wait polls ok until it holds, or fails the test after renderTimeout.
func (p *page) wait(what string, ok func() bool) {
	p.t.Helper()
	for deadline := time.Now().Add(renderTimeout); !ok(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			path := filepath.Join(p.artifacts, "window-action-failure.png")
			p.shot(path)
			p.t.Fatalf("the window never showed %s; see %s", what, path)
		}
	}
}

// waitJS waits for the JavaScript expression cond to be true.
func (p *page) waitJS(what, cond string) {
	p.t.Helper()
	p.wait(what, func() bool {
		var v bool
		return p.ins.eval(`!!(`+cond+`)`, &v) == nil && v
	})
}

// value evaluates expr and decodes its value into out.
func (p *page) value(expr string, out any) {
	p.t.Helper()
	if err := p.ins.eval(expr, out); err != nil {
		p.t.Fatal(err)
	}
}

// box is where the element expr (a JavaScript expression for an Element)
// is drawn, in window coordinates; ok is false while there is none or it
// has no size.
func (p *page) box(expr string) (r image.Rectangle, ok bool) {
	var b []float64
	err := p.ins.eval(`{
		const el = `+expr+`;
		if (!el) return null;
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0 ? [r.left, r.top, r.right, r.bottom] : null;
	}`, &b)
	if err != nil || len(b) != 4 {
		return image.Rectangle{}, false
	}
	return image.Rect(int(b[0]), int(b[1]), int(b[2]), int(b[3])).Add(p.off), true
}

// waitBox waits for the element expr to be drawn and returns where, in
// window coordinates.
func (p *page) waitBox(what, expr string) image.Rectangle {
	p.t.Helper()
	var r image.Rectangle
	p.wait(what, func() bool {
		var ok bool
		r, ok = p.box(expr)
		return ok
	})
	return r
}

// at waits for the element expr and returns its middle in window coordinates.
func (p *page) at(what, expr string) image.Point {
	p.t.Helper()
	r := p.waitBox(what, expr)
	return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}

// click presses mouse button (1 left, 3 right) in the middle of the element expr.
func (p *page) click(what, expr string, button int) {
	p.t.Helper()
	c := p.at(what, expr)
	if _, err := xdotool(p.display, "mousemove", "--window", p.id, strconv.Itoa(c.X), strconv.Itoa(c.Y), "click", strconv.Itoa(button)); err != nil {
		p.t.Fatalf("xdotool click on %s at %v: %v", what, c, err)
	}
}

// hover moves the pointer to the point of the element expr at the fractions
// fx, fy of its width and height.
func (p *page) hover(what, expr string, fx, fy float64) {
	p.t.Helper()
	r := p.waitBox(what, expr)
	x := r.Min.X + int(fx*float64(r.Dx()))
	y := r.Min.Y + int(fy*float64(r.Dy()))
	if _, err := xdotool(p.display, "mousemove", "--window", p.id, strconv.Itoa(x), strconv.Itoa(y)); err != nil {
		p.t.Fatalf("xdotool mousemove over %s: %v", what, err)
	}
}

// typeText types text on the keyboard into whatever has the focus.
func (p *page) typeText(text string) {
	p.t.Helper()
	p.focusWindow()
	if _, err := xdotool(p.display, "type", "--delay", "15", "--", text); err != nil {
		p.t.Fatalf("xdotool type: %v", err)
	}
}

// key presses keys, such as "Return" or "ctrl+a".
func (p *page) key(keys ...string) {
	p.t.Helper()
	p.focusWindow()
	if _, err := xdotool(p.display, append([]string{"key", "--delay", "30"}, keys...)...); err != nil {
		p.t.Fatalf("xdotool key %v: %v", keys, err)
	}
}

// focusWindow gives the window the keyboard focus (there is no window
// manager under Xvfb to do it).
func (p *page) focusWindow() {
	p.t.Helper()
	if _, err := xdotool(p.display, "windowfocus", "--sync", p.id); err != nil {
		p.t.Fatalf("xdotool windowfocus: %v", err)
	}
}

// shot saves the window as it is now at path.
func (p *page) shot(path string) {
	p.t.Helper()
	img, err := p.g.grab(p.id)
	if err != nil {
		p.t.Logf("no screenshot for %s: %v", path, err)
		return
	}
	savePNG(p.t, img, path)
}

// shotAs saves the window as build/test-artifacts/window-action-NAME.png.
func (p *page) shotAs(name string) {
	p.t.Helper()
	path := filepath.Join(p.artifacts, fmt.Sprintf("window-action-%s.png", name))
	// The pointer leaves what it clicked for an empty stretch of the chat's
	// header: a tooltip is a window of its own, drawn black over the
	// screenshot under Xvfb.
	if _, err := xdotool(p.display, "mousemove", "--window", p.id, "900", "28"); err != nil {
		p.t.Fatalf("xdotool mousemove: %v", err)
	}
	time.Sleep(400 * time.Millisecond) // let transitions end
	p.shot(path)
	p.t.Logf("screenshot %s", path)
}
