package window

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// switchJS clicks the conversation i (modulo the list, skipping the open one)
// and records in window.__kurierSwitch, in milliseconds, how long the page
// took from the click to the frame after that chat showed its messages: the
// click's handlers, the messages fetched through the bridge, Svelte's update,
// style, layout and paint, all in WebKitGTK's own JavaScriptCore.
func switchJS(i int) string {
	return fmt.Sprintf(`{
		window.__kurierSwitch = null;
		const rows = [...document.querySelectorAll('[data-testid=conversation-item]')];
		const open = document.querySelector('[data-testid=chat-view]')?.dataset.receiver;
		let row = rows[%[1]d %% rows.length];
		if (row.dataset.receiver === open) row = rows[(%[1]d + 1) %% rows.length];
		const sel = '[data-testid=chat-view][data-receiver="' + row.dataset.receiver + '"]';
		const shown = () => {
			const view = document.querySelector(sel);
			return view && view.querySelector('[data-testid=message]') && !view.querySelector('[aria-busy=true]');
		};
		const t0 = performance.now();
		row.click();
		const check = () => shown()
			? requestAnimationFrame(() => setTimeout(() => { window.__kurierSwitch = performance.now() - t0; }, 0))
			: requestAnimationFrame(check);
		check();
	}`, i)
}

// BenchmarkWindowSwitch switches between the demo world's conversations in
// the real window, as the frame benchmark does in Chromium, and reports the
// median and 95th percentile of the time from the click to the chat drawn.
func BenchmarkWindowSwitch(b *testing.B) {
	binary, artifacts := setup(b)
	display := startXvfb(b)
	addr := inspectorAddr(b)
	b.Setenv(inspectorEnv, addr)
	a := startApp(b, binary, display, b.TempDir(), filepath.Join(artifacts, "bench-switch.log"))
	id := findWindow(b, a, display)
	p := openPage(b, a, display, id, addr, artifacts)
	p.waitJS("the conversation list", `document.querySelectorAll('[data-testid=conversation-item]').length >= 3`)
	// The demo world writes its history in the first seconds; switch once
	// it is quiet.
	time.Sleep(5 * time.Second)
	var times []time.Duration
	b.ResetTimer()
	for i := range b.N + 3 {
		p.value(switchJS(i), nil)
		var ms float64
		p.wait("the switched chat", func() bool {
			return p.ins.eval(`window.__kurierSwitch ?? 0`, &ms) == nil && ms > 0
		})
		if i >= 3 { // the first switches load each chat's first page
			times = append(times, time.Duration(ms*float64(time.Millisecond)))
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.StopTimer()
	slices.Sort(times)
	pct := func(q float64) float64 {
		return float64(times[int(q*float64(len(times)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(0, "ns/op")
	stop(b, a)
}
