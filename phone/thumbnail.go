package phone

import (
	"bytes"
	"image"
	_ "image/gif" // decodes GIF images for thumbnails
	"image/jpeg"
	_ "image/png" // decodes PNG images for thumbnails
	"strings"
)

// thumbnailMax is the longest side of a thumbnail (§5: at most 512 px).
const thumbnailMax = 512

// thumbnail makes a JPEG thumbnail (quality 80, §5) of an image and returns
// it with the image's size; ok is false for anything that is not a
// decodable image.
func thumbnail(mime string, data []byte) (thumb []byte, width, height int, ok bool) {
	if !strings.HasPrefix(mime, "image/") {
		return nil, 0, 0, false
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 50_000_000 {
		return nil, 0, 0, false
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, false
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	tw, th := w, h
	if w > thumbnailMax || h > thumbnailMax {
		if w >= h {
			tw, th = thumbnailMax, max(1, h*thumbnailMax/w)
		} else {
			tw, th = max(1, w*thumbnailMax/h), thumbnailMax
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	for y := range th {
		for x := range tw {
			dst.Set(x, y, img.At(b.Min.X+x*w/tw, b.Min.Y+y*h/th))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, 0, 0, false
	}
	return buf.Bytes(), w, h, true
}
