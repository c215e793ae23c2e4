package phonelink

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
)

// testLogger is a debug-level logger whose lines go to t.Log: they are
// printed only when the test fails (or with -v), so a rare failure says
// what both ends did. Lines written after the test's cleanups (pion's
// goroutines winding down) are dropped, as t.Log would panic then.
func testLogger(t *testing.T) *slog.Logger {
	w := &testLogWriter{t: t}
	t.Cleanup(w.close) // registered first, so it runs after every later cleanup
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testLogWriter struct {
	mu     sync.Mutex
	t      *testing.T
	closed bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.t.Log(string(bytes.TrimRight(p, "\n")))
	}
	return len(p), nil
}

func (w *testLogWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}
