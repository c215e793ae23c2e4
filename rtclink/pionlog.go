package rtclink

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pion/logging"
)

// levelTrace is pion's trace level below slog's debug level.
const levelTrace = slog.LevelDebug - 4

// pionLoggerFactory routes pion's logs into slog (STYLE §9), one logger per
// pion scope ("ice", "dtls", "sctp", …).
type pionLoggerFactory struct {
	log *slog.Logger
}

// NewLogger implements logging.LoggerFactory.
func (f pionLoggerFactory) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{log: f.log.With("pion", scope)}
}

// pionLogger is a logging.LeveledLogger over slog. Messages that may carry
// ICE credentials are replaced by a marker (DESIGN "Crypto rules").
type pionLogger struct {
	log *slog.Logger
	// demoteWarn logs warnings at debug level (for the ICE UDP mux, which
	// warns about the unspecified listen address we choose on purpose).
	demoteWarn bool
}

func (l pionLogger) emit(level slog.Level, msg string) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	l.log.Log(ctx, level, redactPion(msg))
}

func (l pionLogger) emitf(level slog.Level, format string, args ...any) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	l.log.Log(ctx, level, redactPion(fmt.Sprintf(format, args...)))
}

// Trace implements logging.LeveledLogger.
func (l pionLogger) Trace(msg string) { l.emit(levelTrace, msg) }

// Tracef implements logging.LeveledLogger.
func (l pionLogger) Tracef(format string, args ...any) { l.emitf(levelTrace, format, args...) }

// Debug implements logging.LeveledLogger.
func (l pionLogger) Debug(msg string) { l.emit(slog.LevelDebug, msg) }

// Debugf implements logging.LeveledLogger.
func (l pionLogger) Debugf(format string, args ...any) { l.emitf(slog.LevelDebug, format, args...) }

// Info implements logging.LeveledLogger. pion's info lines are its own
// state changes (ICE, DTLS, SCTP), a dozen per connection: they are logged
// at debug level, so that the default log shows Kurier's own events and
// --log-level debug shows pion's too.
func (l pionLogger) Info(msg string) { l.emit(slog.LevelDebug, msg) }

// Infof implements logging.LeveledLogger, at debug level as Info.
func (l pionLogger) Infof(format string, args ...any) { l.emitf(slog.LevelDebug, format, args...) }

// Warn implements logging.LeveledLogger.
func (l pionLogger) Warn(msg string) { l.emit(l.warnLevel(msg), msg) }

// Warnf implements logging.LeveledLogger.
func (l pionLogger) Warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.emit(l.warnLevel(msg), msg)
}

// Error implements logging.LeveledLogger.
func (l pionLogger) Error(msg string) { l.emit(slog.LevelError, msg) }

// Errorf implements logging.LeveledLogger.
func (l pionLogger) Errorf(format string, args ...any) { l.emitf(slog.LevelError, format, args...) }

// routinePionWarnings are parts of warnings pion gives on every connection
// that works: ICE pinging before the first candidate pair arrives, and the
// reads and writes that fail as a connection is closed. They are logged at
// debug level, so that a warning in the default log means something.
var routinePionWarnings = [...]string{
	"connection is not possible yet",
	"closed pipe",
	"conn is closed",
	"use of closed network connection",
}

func (l pionLogger) warnLevel(msg string) slog.Level {
	if l.demoteWarn {
		return slog.LevelDebug
	}
	lower := strings.ToLower(msg)
	for _, r := range routinePionWarnings {
		if strings.Contains(lower, r) {
			return slog.LevelDebug
		}
	}
	return slog.LevelWarn
}

// redactPion replaces a pion log message that may carry ICE credentials or
// SDP with a marker: only its length is kept.
func redactPion(msg string) string {
	lower := strings.ToLower(msg)
	// Substrings of messages that may hold ICE credentials or SDP: ufrag,
	// pwd, STUN usernames, the UDP mux's "Registered <addr> for <ufrag>", SDP
	// attributes, fingerprints.
	for _, m := range [...]string{"ufrag", "pwd", "password", "username", "registered", "ice-", "a=", "fingerprint"} {
		if strings.Contains(lower, m) {
			return fmt.Sprintf("[pion message redacted, %d bytes]", len(msg))
		}
	}
	return msg
}
