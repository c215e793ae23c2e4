package webclient

import (
	"fmt"
	"math"
)

// Image limits (§2.4 Limits; AND Protocol.java SIZE_*).
const (
	// AvatarHighResPx and AvatarLowResPx are the avatar edge lengths (PNG).
	AvatarHighResPx = 512
	AvatarLowResPx  = 48
	// ThumbnailPx is the thumbnail edge length (JPEG quality 75).
	ThumbnailPx = 350
	// MaxAvatarBytes bounds an avatar image.
	MaxAvatarBytes = 5 << 20
	// MaxThumbnailBytes bounds a thumbnail or preview image.
	MaxThumbnailBytes = 5 << 20
)

// AvatarRequest is request/avatar: args {type, id, highResolution, maxSize?}.
type AvatarRequest struct {
	Receiver       Receiver
	HighResolution bool
	MaxSize        uint32 // edge length in px; 0: not sent
}

// NewAvatarRequest builds request/avatar.
func NewAvatarRequest(id string, r AvatarRequest) WireMessage {
	a := set{"highResolution": r.HighResolution}
	r.Receiver.put(a)
	if r.MaxSize != 0 {
		a["maxSize"] = r.MaxSize
	}
	return WireMessage{Type: TypeRequest, SubType: SubAvatar, ID: id, Args: a}
}

// DecodeAvatarRequest decodes request/avatar.
func DecodeAvatarRequest(m WireMessage) (AvatarRequest, error) {
	if err := expect(m, TypeRequest, SubAvatar); err != nil {
		return AvatarRequest{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return AvatarRequest{}, err
	}
	r := AvatarRequest{HighResolution: a.boolean("highResolution", true),
		MaxSize: uint32(a.uint("maxSize", false, math.MaxUint16))}
	if a.err != nil {
		return AvatarRequest{}, fmt.Errorf("webclient: avatar request: %w", a.err)
	}
	if r.Receiver, err = receiverFrom(a); err != nil {
		return AvatarRequest{}, fmt.Errorf("webclient: avatar request: %w", err)
	}
	return r, nil
}

// Avatar is response/avatar or update/avatar: args {type, id[, highResolution]},
// data the image bytes, or nil when the receiver has no avatar.
type Avatar struct {
	Receiver       Receiver
	HighResolution bool
	Image          []byte
}

// NewAvatarResponse builds response/avatar answering req.
func NewAvatarResponse(req WireMessage, av Avatar) WireMessage {
	a := set{"highResolution": av.HighResolution}
	av.Receiver.put(a)
	var data any
	if av.Image != nil {
		data = av.Image
	}
	return Reply(req, TypeResponse, SubAvatar, a, data, nil)
}

// NewAvatarUpdate builds update/avatar.
func NewAvatarUpdate(av Avatar) WireMessage {
	m := NewAvatarResponse(WireMessage{}, av)
	m.Type = TypeUpdate
	return m
}

func decodeAvatar(m WireMessage) (Avatar, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return Avatar{}, err
	}
	av := Avatar{HighResolution: a.boolean("highResolution", false)}
	if av.Receiver, err = receiverFrom(a); err != nil {
		return Avatar{}, fmt.Errorf("webclient: avatar: %w", err)
	}
	if m.Data != nil {
		b, ok := m.Data.([]byte)
		switch {
		case !ok:
			return Avatar{}, fmt.Errorf("%w: avatar data is not bin", ErrField)
		case len(b) > MaxAvatarBytes:
			return Avatar{}, fmt.Errorf("%w: avatar of %d bytes", ErrTooLong, len(b))
		}
		av.Image = b
	}
	return av, nil
}

// DecodeAvatarResponse decodes response/avatar.
func DecodeAvatarResponse(m WireMessage) (Avatar, error) {
	if err := expect(m, TypeResponse, SubAvatar); err != nil {
		return Avatar{}, err
	}
	return decodeAvatar(m)
}

// DecodeAvatarUpdate decodes update/avatar.
func DecodeAvatarUpdate(m WireMessage) (Avatar, error) {
	if err := expect(m, TypeUpdate, SubAvatar); err != nil {
		return Avatar{}, err
	}
	return decodeAvatar(m)
}

// ThumbnailResponse is response/thumbnail: args {type, id, messageId}, data the JPEG bytes.
type ThumbnailResponse struct {
	Receiver  Receiver
	MessageID string
	Image     []byte
}

// NewThumbnailResponse builds response/thumbnail answering req; err reports a failure.
func NewThumbnailResponse(req WireMessage, t ThumbnailResponse, err error) WireMessage {
	a := set{"messageId": t.MessageID}
	t.Receiver.put(a)
	var data any
	if err == nil && t.Image != nil {
		data = t.Image
	}
	return Reply(req, TypeResponse, SubThumbnail, a, data, err)
}

// DecodeThumbnailResponse decodes response/thumbnail.
func DecodeThumbnailResponse(m WireMessage) (ThumbnailResponse, error) {
	if err := expect(m, TypeResponse, SubThumbnail); err != nil {
		return ThumbnailResponse{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return ThumbnailResponse{}, err
	}
	t := ThumbnailResponse{MessageID: refID(a, "messageId")}
	if a.err != nil {
		return ThumbnailResponse{}, fmt.Errorf("webclient: thumbnail: %w", a.err)
	}
	if t.Receiver, err = receiverFrom(a); err != nil {
		return ThumbnailResponse{}, fmt.Errorf("webclient: thumbnail: %w", err)
	}
	if m.Data != nil {
		b, ok := m.Data.([]byte)
		switch {
		case !ok:
			return ThumbnailResponse{}, fmt.Errorf("%w: thumbnail data is not bin", ErrField)
		case len(b) > MaxThumbnailBytes:
			return ThumbnailResponse{}, fmt.Errorf("%w: thumbnail of %d bytes", ErrTooLong, len(b))
		}
		t.Image = b
	}
	return t, nil
}

// BlobResponse is response/blob: args {type, id, messageId}, data {blob: bin,
// type: MIME, name} on success; a failure carries only the ack error.
type BlobResponse struct {
	Receiver  Receiver
	MessageID string
	Blob      []byte
	MIMEType  string
	Name      string
	Result    Result
}

// NewBlobResponse builds response/blob answering req; err reports a failure
// (e.g. ErrBlobDownloadFailed).
func NewBlobResponse(req WireMessage, b BlobResponse, err error) WireMessage {
	a := set{"messageId": b.MessageID}
	b.Receiver.put(a)
	var data any
	if err == nil {
		data = map[string]any{"blob": b.Blob, "type": b.MIMEType, "name": b.Name}
	}
	return Reply(req, TypeResponse, SubBlob, a, data, err)
}

// DecodeBlobResponse decodes response/blob. A failure decodes without error:
// see Result.Err.
func DecodeBlobResponse(m WireMessage) (BlobResponse, error) {
	if err := expect(m, TypeResponse, SubBlob); err != nil {
		return BlobResponse{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return BlobResponse{}, err
	}
	b := BlobResponse{MessageID: refID(a, "messageId")}
	if a.err != nil {
		return BlobResponse{}, fmt.Errorf("webclient: blob: %w", a.err)
	}
	if b.Receiver, err = receiverFrom(a); err != nil {
		return BlobResponse{}, fmt.Errorf("webclient: blob: %w", err)
	}
	if res, err := ResultOf(m); err == nil {
		b.Result = res
	} else {
		b.Result = Result{Success: m.Data != nil}
	}
	if !b.Result.Success {
		return b, nil
	}
	d, err := dataOf(m, true)
	if err != nil {
		return BlobResponse{}, fmt.Errorf("webclient: blob: %w", err)
	}
	b.Blob = d.bin("blob", true, MaxFileSize)
	b.MIMEType = d.str("type", true, MaxMIMETypeBytes)
	b.Name = d.str("name", false, MaxFileNameBytes)
	if d.err != nil {
		return BlobResponse{}, fmt.Errorf("webclient: blob: %w", d.err)
	}
	return b, nil
}
