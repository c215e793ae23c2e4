package phone

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/e2e"
)

// MaxFileSize bounds a file the phone sends or downloads (Kurier's choice;
// Threema allows 100 MB).
const MaxFileSize = 50 << 20

// Fixed blob nonces (§5): each blob key encrypts one file and its
// thumbnail, so the nonces can be constants.
var (
	fileNonce      = cryptobox.Nonce{23: 1}
	thumbnailNonce = cryptobox.Nonce{23: 2}
)

// FileInput is a file to send.
type FileInput struct {
	// Name is the file name shown to the peer.
	Name string
	// MIME is its media type; empty means application/octet-stream.
	MIME string
	// Data is the content.
	Data []byte
	// Caption is an optional caption (≤ 6000 bytes).
	Caption string
	// Duration is the length of an audio file in seconds (0: unknown); it
	// goes into the message's metadata ("x.d"), as the apps send it with a
	// voice message.
	Duration float64
	// SendAsFile sends an image or audio file with the rendering type
	// "file" (0) instead of "media" (1): the receiver shows a file to
	// download rather than an image or a voice message (Threema's "send as
	// file"; create/fileMessage's sendAsFile). An image keeps its thumbnail.
	SendAsFile bool
}

// FileInfo is the JSON stored in a file message's Extra: what is needed to
// download and show it. It holds the blob key: never log it.
type FileInfo struct {
	BlobID          string `json:"blob_id"`
	Key             string `json:"key"`
	MIME            string `json:"mime"`
	Name            string `json:"name,omitempty"`
	Size            uint64 `json:"size"`
	ThumbnailBlobID string `json:"thumbnail_blob_id,omitempty"`
	ThumbnailMIME   string `json:"thumbnail_mime,omitempty"`
	Rendering       int    `json:"rendering"`
	Width           int    `json:"width,omitempty"`
	Height          int    `json:"height,omitempty"`
	// Duration is an audio or video file's length in seconds ("x.d").
	Duration float64 `json:"duration,omitempty"`
}

func fileInfoOf(f e2e.File) FileInfo {
	fi := FileInfo{BlobID: f.BlobID.String(), Key: hex.EncodeToString(f.Key[:]), MIME: f.MIME, Name: f.Name,
		Size: f.Size, Rendering: int(f.Rendering)}
	if f.Thumbnail != nil {
		fi.ThumbnailBlobID, fi.ThumbnailMIME = f.Thumbnail.BlobID.String(), f.Thumbnail.MIME
	}
	if f.Metadata != nil {
		fi.Width, fi.Height, fi.Duration = f.Metadata.Width, f.Metadata.Height, f.Metadata.Duration
	}
	return fi
}

// FileInfoOf decodes the file metadata of a file message.
func FileInfoOf(m store.Message) (FileInfo, error) {
	var fi FileInfo
	if err := json.Unmarshal([]byte(m.Extra), &fi); err != nil || fi.BlobID == "" {
		return FileInfo{}, fmt.Errorf("%w: message %d is not a file", ErrInvalid, m.MessageID)
	}
	return fi, nil
}

// upload encrypts data with key and the fixed nonce and uploads it.
func (p *Phone) upload(ctx context.Context, key *cryptobox.SymmetricKey, nonce *cryptobox.Nonce, data []byte) (e2e.BlobID, error) {
	box := key.Seal(nil, data, nonce)
	id, err := p.blobc.Upload(ctx, bytes.NewReader(box))
	if err != nil {
		return e2e.BlobID{}, fmt.Errorf("phone: upload: %w", err)
	}
	return e2e.ParseBlobID(id)
}

// uploadFile uploads a file (and a thumbnail for an image) with a fresh key.
func (p *Phone) uploadFile(ctx context.Context, in FileInput) (e2e.File, error) {
	if len(in.Data) == 0 || len(in.Data) > MaxFileSize {
		return e2e.File{}, fmt.Errorf("%w: file of %d bytes", ErrInvalid, len(in.Data))
	}
	if in.MIME == "" {
		in.MIME = "application/octet-stream"
	}
	key, err := cryptobox.RandomSymmetricKey(p.opts.rand)
	if err != nil {
		return e2e.File{}, fmt.Errorf("phone: file key: %w", err)
	}
	blobID, err := p.upload(ctx, &key, &fileNonce, in.Data)
	if err != nil {
		return e2e.File{}, err
	}
	f := e2e.File{Key: key, BlobID: blobID, MIME: in.MIME, Name: in.Name, Size: uint64(len(in.Data)), Caption: in.Caption}
	if thumb, w, h, ok := thumbnail(in.MIME, in.Data); ok {
		tid, err := p.upload(ctx, &key, &thumbnailNonce, thumb)
		if err != nil {
			return e2e.File{}, err
		}
		f.Thumbnail = &e2e.Thumbnail{BlobID: tid, MIME: e2e.DefaultThumbnailMIME}
		if !in.SendAsFile {
			f.Rendering = e2e.RenderingMedia
		}
		f.Metadata = &e2e.FileMetadata{Width: w, Height: h}
	}
	if IsAudio(in.MIME) {
		// A voice message: shown inline as a player, with its length
		// (unless sent as a file).
		if !in.SendAsFile {
			f.Rendering = e2e.RenderingMedia
		}
		if in.Duration > 0 {
			f.Metadata = &e2e.FileMetadata{Duration: in.Duration}
		}
	}
	return f, nil
}

// SendFile uploads a file to the blob server, encrypted with a fresh key
// (§5), and sends the file message (0x17) to a contact.
func (p *Phone) SendFile(ctx context.Context, to string, in FileInput) (store.Message, error) {
	if _, err := p.sendable(ctx, to); err != nil {
		return store.Message{}, err
	}
	f, err := p.uploadFile(ctx, in)
	if err != nil {
		return store.Message{}, err
	}
	extra, err := json.Marshal(fileInfoOf(f))
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: file: %w", err)
	}
	msg, err := p.send1to1(ctx, to, f, store.Message{Body: f.Caption, Extra: string(extra)})
	if err == nil {
		p.keepFile(ctx, msg.Seq, in.Data)
	}
	return msg, err
}

// MaxKeptFileBytes bounds the bytes of the files the phone keeps, in all
// (Kurier's choice). Past it a file is not kept, and can be had only while
// the blob server still has it.
const MaxKeptFileBytes = 2 << 30

// keepFile keeps the bytes of the file message seq, as a phone keeps what it
// sent and downloaded (a blob may be gone once a 1:1 receiver has it). A
// file that does not fit, or a store that fails, is only logged: the file
// was sent or downloaded all the same.
func (p *Phone) keepFile(ctx context.Context, seq int64, data []byte) {
	used, err := p.st.FileBytes(ctx)
	if err == nil && used+int64(len(data)) > MaxKeptFileBytes {
		p.log.Warn("file not kept: the kept files are at their bound", "seq", seq, "bytes", len(data), "kept", used)
		return
	}
	if err == nil {
		err = p.st.PutFile(ctx, seq, data)
	}
	if err != nil {
		p.log.Warn("file not kept", "seq", seq, "err", err)
	}
}

// download fetches and decrypts one blob.
func (p *Phone) download(ctx context.Context, blobID, keyHex string, nonce *cryptobox.Nonce) ([]byte, error) {
	raw, err := hex.DecodeString(keyHex)
	if err != nil || len(raw) != cryptobox.KeySize {
		return nil, fmt.Errorf("%w: blob key", ErrInvalid)
	}
	var key cryptobox.SymmetricKey
	copy(key[:], raw)
	rc, err := p.blobc.Download(ctx, blobID)
	if err != nil {
		return nil, fmt.Errorf("phone: download: %w", err)
	}
	defer func() { _ = rc.Close() }()
	box, err := io.ReadAll(io.LimitReader(rc, MaxFileSize+cryptobox.Overhead+1))
	if err != nil {
		return nil, fmt.Errorf("phone: download: %w", err)
	}
	plain, err := key.Open(nil, box, nonce)
	if err != nil {
		return nil, fmt.Errorf("phone: download: %w", err)
	}
	return plain, nil
}

// DownloadFile returns the file of a file message: the bytes the phone
// kept, else downloaded and decrypted (and then kept). For an incoming 1:1
// file it then tells the blob server it is done (§5); group receivers do
// not.
func (p *Phone) DownloadFile(ctx context.Context, m store.Message) ([]byte, error) {
	fi, err := FileInfoOf(m)
	if err != nil {
		return nil, err
	}
	if kept, err := p.st.File(ctx, m.Seq); err == nil {
		return kept, nil
	}
	data, err := p.download(ctx, fi.BlobID, fi.Key, &fileNonce)
	if err != nil {
		return nil, err
	}
	if uint64(len(data)) != fi.Size {
		p.log.Warn("file size differs from the announced size", "message_id", m.MessageID, "size", len(data), "announced", fi.Size)
	}
	if m.Seq != 0 {
		p.keepFile(ctx, m.Seq, data)
	}
	if !m.Outgoing && m.Type == e2e.TypeFile {
		if err := p.blobc.Done(ctx, fi.BlobID); err != nil {
			p.log.Warn("blob done failed", "err", err)
		}
	}
	return data, nil
}

// DownloadThumbnail downloads and decrypts the thumbnail of a file message.
func (p *Phone) DownloadThumbnail(ctx context.Context, m store.Message) ([]byte, error) {
	fi, err := FileInfoOf(m)
	if err != nil {
		return nil, err
	}
	if fi.ThumbnailBlobID == "" {
		return nil, fmt.Errorf("%w: no thumbnail", ErrInvalid)
	}
	return p.download(ctx, fi.ThumbnailBlobID, fi.Key, &thumbnailNonce)
}

// IsAudio reports whether a media type is audio (a voice message when sent
// for inline rendering): audio/aac, audio/mp4, audio/ogg, audio/webm, ….
func IsAudio(mime string) bool { return strings.HasPrefix(strings.ToLower(mime), "audio/") }
