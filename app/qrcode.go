package app

import (
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// PairingQR returns the current pairing code as an SVG QR code (black on
// white with the quiet zone), or "" when no pairing waits for the phone.
func (l *LinkService) PairingQR() (string, error) {
	st, _ := l.Status()
	if st.PairingCode == "" {
		return "", nil
	}
	return qrSVG(st.PairingCode)
}

// qrSVG draws text as a QR code with error correction level M, one path of
// unit squares scaled by the viewBox, crisp at every size.
func qrSVG(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("app: QR code: %w", err)
	}
	bm := q.Bitmap() // includes the 4-module quiet zone
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="QR code">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
