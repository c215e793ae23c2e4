package phone

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
)

// Avatar limits (Kurier's choices, in line with §2.4 Limits).
const (
	// AvatarMaxBytes bounds an avatar image as it is given to the phone
	// (control API, desktop, a contact's blob): the wire limit of
	// protocol/webclient (MaxAvatarBytes).
	AvatarMaxBytes = 5 << 20
	// AvatarMaxPixels bounds the decoded size (width × height) of an avatar
	// image, so that a small file cannot claim a huge bitmap.
	AvatarMaxPixels = 16 << 20
	// AvatarEdge is the longest edge of a stored avatar: the high-resolution
	// avatar of §2.4 (512 px).
	AvatarEdge = 512
	// AvatarLowEdge is the edge of a low-resolution avatar (§2.4: 48 px).
	AvatarLowEdge = 48
	// avatarQuality is the JPEG quality of a stored or scaled avatar.
	avatarQuality = 85
)

// NormalizeAvatar checks that data is a JPEG or PNG image of at most
// AvatarMaxBytes bytes and AvatarMaxPixels pixels, and re-encodes it as a
// JPEG whose longest edge is at most AvatarEdge (transparency is flattened
// on white). Nothing of data is kept: the result is always a fresh
// encoding. Bad input gives ErrImage or ErrTooLarge.
func NormalizeAvatar(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrImage)
	}
	if len(data) > AvatarMaxBytes {
		return nil, fmt.Errorf("%w: avatar of %d bytes, limit %d", ErrTooLarge, len(data), AvatarMaxBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	if format != "jpeg" && format != "png" {
		return nil, fmt.Errorf("%w: format %s", ErrImage, format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%w: empty image", ErrImage)
	}
	if int64(cfg.Width)*int64(cfg.Height) > AvatarMaxPixels {
		return nil, fmt.Errorf("%w: image of %d×%d pixels", ErrTooLarge, cfg.Width, cfg.Height)
	}
	var img image.Image
	if format == "png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	return encodeAvatar(img, AvatarEdge)
}

// ScaleAvatar returns a stored avatar (a JPEG from NormalizeAvatar) with its
// longest edge at most edge pixels; an avatar that is small enough is
// returned unchanged.
func ScaleAvatar(stored []byte, edge int) ([]byte, error) {
	if edge <= 0 {
		return nil, fmt.Errorf("%w: edge %d", ErrInvalid, edge)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(stored))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	if cfg.Width <= edge && cfg.Height <= edge {
		return stored, nil
	}
	img, err := jpeg.Decode(bytes.NewReader(stored))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrImage, err)
	}
	return encodeAvatar(img, edge)
}

// encodeAvatar flattens img on white, scales it down (box filter) so that
// its longest edge is at most edge, and encodes it as JPEG.
func encodeAvatar(img image.Image, edge int) ([]byte, error) {
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Over)
	w, h := fitEdge(b.Dx(), b.Dy(), edge)
	dst := src
	if w != b.Dx() || h != b.Dy() {
		dst = boxScale(src, w, h)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: avatarQuality}); err != nil {
		return nil, fmt.Errorf("phone: encode avatar: %w", err)
	}
	return buf.Bytes(), nil
}

// fitEdge scales w×h down, keeping the aspect ratio, so that neither side
// exceeds edge; each side stays at least 1.
func fitEdge(w, h, edge int) (int, int) {
	if w <= edge && h <= edge {
		return w, h
	}
	if w >= h {
		return edge, max(1, h*edge/w)
	}
	return max(1, w*edge/h), edge
}

// boxScale shrinks src to w×h: every destination pixel is the mean of the
// source pixels its area covers (an area-average filter; only downscaling).
func boxScale(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		y0, y1 := y*sh/h, max((y+1)*sh/h, y*sh/h+1)
		for x := range w {
			x0, x1 := x*sw/w, max((x+1)*sw/w, x*sw/w+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				row := src.Pix[sy*src.Stride+x0*4 : sy*src.Stride+x1*4]
				for i := 0; i < len(row); i += 4 {
					r += uint64(row[i])
					g += uint64(row[i+1])
					bl += uint64(row[i+2])
					a += uint64(row[i+3])
					n++
				}
			}
			o := y*dst.Stride + x*4
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(bl/n), uint8(a/n)
		}
	}
	return dst
}
