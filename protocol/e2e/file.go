package e2e

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// DefaultThumbnailMIME is the thumbnail type when "p" is absent (§3.5).
const DefaultThumbnailMIME = "image/jpeg"

// maxFileJSONLen bounds the file JSON (Kurier's choice; it has to fit in one
// envelope anyway).
const maxFileJSONLen = 7000

// Rendering says how a file message is shown ("j", §3.5).
type Rendering uint8

// Renderings (§3.5).
const (
	// RenderingFile shows a file to download.
	RenderingFile Rendering = 0
	// RenderingMedia shows an image, video or audio inline.
	RenderingMedia Rendering = 1
	// RenderingSticker shows an image without a bubble.
	RenderingSticker Rendering = 2
)

// File (0x17) announces a file on the blob server, secretbox-encrypted with
// Key (nonce 00…01; thumbnail 00…02, §5). Inner: UTF-8 JSON with the keys
// j, i, k, b, m, n, s, t, p, d, c, x (§3.5). Unknown keys are ignored
// (forward compatibility); the known ones are validated.
type File struct {
	// Rendering is "j" (and the deprecated "i": 1 for media). An unknown
	// "j" decodes as RenderingFile.
	Rendering Rendering
	// Key is the blob's secretbox key ("k", 64 hex characters).
	Key cryptobox.SymmetricKey
	// BlobID is the file's blob ("b").
	BlobID BlobID
	// MIME is the file's media type ("m"); it must not be empty.
	MIME string
	// Name is the file name ("n"), optional.
	Name string
	// Size is the file size in bytes ("s").
	Size uint64
	// Thumbnail is the thumbnail ("t", "p"), or nil.
	Thumbnail *Thumbnail
	// Caption is the caption ("d"), at most MaxTextLen bytes.
	Caption string
	// CorrelationID groups files sent together ("c"), optional.
	CorrelationID string
	// Metadata is "x", or nil when absent.
	Metadata *FileMetadata
}

// Thumbnail is a file's thumbnail blob, encrypted with the file's key.
type Thumbnail struct {
	// BlobID is "t".
	BlobID BlobID
	// MIME is "p"; DefaultThumbnailMIME when absent.
	MIME string
}

// FileMetadata is the "x" object of a file message. Zero values are not sent.
type FileMetadata struct {
	// Width in pixels ("w").
	Width int
	// Height in pixels ("h").
	Height int
	// Animated is true for an animated image ("a").
	Animated bool
	// Duration in seconds for audio and video ("d").
	Duration float64
}

type fileJSON struct {
	J *int          `json:"j,omitempty"`
	I *int          `json:"i,omitempty"`
	K string        `json:"k"`
	B string        `json:"b"`
	M string        `json:"m"`
	N string        `json:"n,omitempty"`
	S *int64        `json:"s"`
	T string        `json:"t,omitempty"`
	P string        `json:"p,omitempty"`
	D string        `json:"d,omitempty"`
	C string        `json:"c,omitempty"`
	X *fileMetaJSON `json:"x,omitempty"`
}

// fileMetaJSON is "x". Width and height are read as numbers and must be
// whole: some senders write 640.0.
type fileMetaJSON struct {
	W float64 `json:"w,omitempty"`
	H float64 `json:"h,omitempty"`
	A bool    `json:"a,omitempty"`
	D float64 `json:"d,omitempty"`
}

// Type returns TypeFile.
func (File) Type() byte { return TypeFile }

func (m File) appendInner(dst []byte) ([]byte, error) {
	b, err := m.marshal()
	if err != nil {
		return nil, err
	}
	return append(dst, b...), nil
}

func (m File) check() error {
	switch {
	case m.Rendering > RenderingSticker:
		return fmt.Errorf("%w: file rendering %d", ErrInvalidField, m.Rendering)
	case m.MIME == "":
		return fmt.Errorf("%w: file without media type", ErrInvalidField)
	case m.Size > math.MaxInt64:
		return fmt.Errorf("%w: file size", ErrInvalidField)
	case m.Thumbnail != nil && m.Thumbnail.MIME == "":
		return fmt.Errorf("%w: thumbnail without media type", ErrInvalidField)
	case !utf8.ValidString(m.MIME) || !utf8.ValidString(m.Name) || !utf8.ValidString(m.CorrelationID) ||
		(m.Thumbnail != nil && !utf8.ValidString(m.Thumbnail.MIME)):
		return fmt.Errorf("%w: file field is not UTF-8", ErrInvalidField)
	}
	if err := checkText(m.Caption, true); err != nil {
		return fmt.Errorf("caption: %w", err)
	}
	if x := m.Metadata; x != nil {
		if x.Width < 0 || x.Height < 0 || x.Width > math.MaxInt32 || x.Height > math.MaxInt32 ||
			!(x.Duration >= 0) || math.IsInf(x.Duration, 0) {
			return fmt.Errorf("%w: file metadata out of range", ErrInvalidField)
		}
	}
	return nil
}

func (m File) marshal() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	// "i" is the deprecated rendering flag: 1 for media only, as Android
	// writes it (a sticker shows as a file in clients that only know "i").
	j, i, size := int(m.Rendering), 0, int64(m.Size)
	if m.Rendering == RenderingMedia {
		i = 1
	}
	w := fileJSON{J: &j, I: &i, K: hex.EncodeToString(m.Key[:]), B: m.BlobID.String(), M: m.MIME,
		N: m.Name, S: &size, D: m.Caption, C: m.CorrelationID}
	if m.Thumbnail != nil {
		w.T, w.P = m.Thumbnail.BlobID.String(), m.Thumbnail.MIME
	}
	if x := m.Metadata; x != nil {
		w.X = &fileMetaJSON{W: float64(x.Width), H: float64(x.Height), A: x.Animated, D: x.Duration}
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("%w: file JSON", ErrInvalidField)
	}
	if len(b) > maxFileJSONLen {
		return nil, fmt.Errorf("%w: file JSON of %d bytes", ErrTooLarge, len(b))
	}
	return b, nil
}

func decodeFile(b []byte) (Message, error) {
	m, err := parseFile(b)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// parseFile decodes and validates the file JSON. Its errors name the field
// and never quote the JSON.
func parseFile(b []byte) (File, error) {
	var m File
	if len(b) > maxFileJSONLen {
		return m, fmt.Errorf("%w: file JSON of %d bytes", ErrTooLarge, len(b))
	}
	if !utf8.Valid(b) {
		return m, fmt.Errorf("%w: file JSON is not UTF-8", ErrInvalidField)
	}
	var w fileJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return m, fmt.Errorf("%w: file JSON", ErrMalformed)
	}
	// An unknown rendering shows as a file, as Android does (FileData.parse):
	// a newer sender's rendering must not make the message undeliverable.
	switch {
	case w.J != nil:
		if *w.J >= 0 && *w.J <= int(RenderingSticker) {
			m.Rendering = Rendering(*w.J)
		}
	case w.I != nil:
		if *w.I == 1 {
			m.Rendering = RenderingMedia
		}
	}
	if err := decodeHexExact(m.Key[:], w.K); err != nil {
		return m, fmt.Errorf("file key: %w", err)
	}
	if err := decodeHexExact(m.BlobID[:], w.B); err != nil {
		return m, fmt.Errorf("file blob id: %w", err)
	}
	if w.S == nil || *w.S < 0 {
		return m, fmt.Errorf("%w: file size", ErrInvalidField)
	}
	m.MIME, m.Name, m.Size, m.Caption, m.CorrelationID = w.M, w.N, uint64(*w.S), w.D, w.C
	if w.T != "" {
		t := &Thumbnail{MIME: w.P}
		if err := decodeHexExact(t.BlobID[:], w.T); err != nil {
			return m, fmt.Errorf("thumbnail blob id: %w", err)
		}
		if t.MIME == "" {
			t.MIME = DefaultThumbnailMIME
		}
		m.Thumbnail = t
	}
	if x := w.X; x != nil {
		if !wholeDimension(x.W) || !wholeDimension(x.H) {
			return m, fmt.Errorf("%w: file metadata dimensions", ErrInvalidField)
		}
		m.Metadata = &FileMetadata{Width: int(x.W), Height: int(x.H), Animated: x.A, Duration: x.D}
	}
	if err := m.check(); err != nil {
		return m, err
	}
	return m, nil
}

// wholeDimension reports whether v is a whole number of pixels in 0..2³¹-1.
func wholeDimension(v float64) bool {
	return v >= 0 && v <= math.MaxInt32 && v == math.Trunc(v)
}
