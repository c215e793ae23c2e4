package rtclink

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestPionInfoIsDebug: pion's info lines (a dozen state changes per
// connection) stay out of the default info log, which `make run` prints;
// its warnings and errors do not, except the routine ones every working
// connection gives (pinging before the first candidate pair, reads failing
// as it closes), and --log-level debug shows everything.
func TestPionInfoIsDebug(t *testing.T) {
	for _, tc := range []struct {
		level slog.Level
		want  []string
	}{
		{slog.LevelInfo, []string{"warned", "failed"}},
		{slog.LevelDebug, []string{"state changed", "formatted 7", "warned", "failed", "not possible yet", "closed pipe"}},
	} {
		var buf bytes.Buffer
		log := pionLoggerFactory{log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tc.level}))}.NewLogger("ice")
		log.Info("state changed")
		log.Infof("formatted %d", 7)
		log.Warn("warned")
		log.Warn("Failed to ping without candidate pairs. Connection is not possible yet.")
		log.Warnf("Failed to read from candidate %s: %v", "udp4 host 127.0.0.1:41133", "io: read/write on closed pipe")
		log.Error("failed")
		out := buf.String()
		if n := strings.Count(out, "\n"); n != len(tc.want) {
			t.Errorf("level %s: %d lines, want %d:\n%s", tc.level, n, len(tc.want), out)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("level %s: %q missing:\n%s", tc.level, w, out)
			}
		}
	}
}
