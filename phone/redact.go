package phone

import (
	"fmt"
	"log/slog"
)

// redacted is a log value that shows what a secret is and how long, never
// its content (Threema's censor()).
type redacted struct {
	kind string
	n    int
}

// Redact returns a slog value for sensitive data: message text, keys,
// nonces, passwords. It logs "kind(len=N)" only.
func Redact(kind string, b []byte) slog.Value {
	return slog.StringValue(redacted{kind: kind, n: len(b)}.String())
}

// RedactString is Redact for a string.
func RedactString(kind, s string) slog.Value {
	return slog.StringValue(redacted{kind: kind, n: len(s)}.String())
}

// String is "kind(len=N)".
func (r redacted) String() string { return fmt.Sprintf("%s(len=%d)", r.kind, r.n) }
