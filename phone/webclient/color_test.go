package webclient

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestIDColorsMatchTheDesktop: the phone's receiver colours are the
// desktop's avatar shades (frontend/src/lib/idColor.ts, "light"), in order.
func TestIDColorsMatchTheDesktop(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../../frontend/src/lib/idColor.ts")
	if err != nil {
		t.Fatal(err)
	}
	var ts []string
	for _, m := range regexp.MustCompile(`light: '(#[0-9a-f]{6})'`).FindAllStringSubmatch(string(src), -1) {
		ts = append(ts, m[1])
	}
	if !slices.Equal(ts, idColors[:]) {
		t.Fatalf("idColor.ts has %v, the phone %v", ts, idColors)
	}
}

// TestIDColor: the family is SHA-256's first byte / 16 of the bytes
// threema-desktop hashes (the digests computed with sha256sum).
func TestIDColor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		got  string
		want int
	}{
		{contactColor("ECHOECHO"), 0x60 >> 4},
		{contactColor("CHATTY01"), 0xf5 >> 4},
		// "ALICE123" ‖ 01 00 00 00 00 00 00 00
		{groupColor("ALICE123", 1), 0x59 >> 4},
		// 07 00 00 00 00 00 00 00
		{listColor(7), 0xaa >> 4},
	} {
		if tc.got != idColors[tc.want] {
			t.Errorf("colour %s, want family %d (%s)", tc.got, tc.want, idColors[tc.want])
		}
	}
}
