package webclient

import (
	"fmt"
	"math"
)

// TextMessageCreate is create/textMessage from the web: args {type, id},
// data {text, quote?} (§2.4).
type TextMessageCreate struct {
	Receiver Receiver
	Text     string
	Quote    *Quote
}

// NewTextMessageCreate builds create/textMessage with the correlation id.
func NewTextMessageCreate(id string, c TextMessageCreate) WireMessage {
	a := set{}
	c.Receiver.put(a)
	d := set{"text": c.Text}
	if c.Quote != nil {
		d["quote"] = c.Quote.encode()
	}
	return WireMessage{Type: TypeCreate, SubType: SubTextMessage, ID: id, Args: a, Data: map[string]any(d)}
}

// DecodeTextMessageCreate decodes create/textMessage from the web.
func DecodeTextMessageCreate(m WireMessage) (TextMessageCreate, error) {
	if err := expect(m, TypeCreate, SubTextMessage); err != nil {
		return TextMessageCreate{}, err
	}
	r, err := sendTarget(m)
	if err != nil {
		return TextMessageCreate{}, fmt.Errorf("webclient: textMessage: %w", err)
	}
	d, err := dataOf(m, true)
	if err != nil {
		return TextMessageCreate{}, fmt.Errorf("webclient: textMessage: %w", err)
	}
	c := TextMessageCreate{Receiver: r, Text: d.str("text", true, MaxTextBytes), Quote: decodeQuote(d)}
	if d.err == nil && c.Text == "" {
		d.fail(ErrField, "text", "is empty")
	}
	if d.err != nil {
		return TextMessageCreate{}, fmt.Errorf("webclient: textMessage: %w", d.err)
	}
	return c, nil
}

// sendTarget reads the receiver of a create message; "me" cannot be written to.
func sendTarget(m WireMessage) (Receiver, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return Receiver{}, err
	}
	r, err := receiverFrom(a)
	if err != nil {
		return Receiver{}, err
	}
	if r.Type == ReceiverMe {
		return Receiver{}, fmt.Errorf("%w: cannot send to me", ErrReceiver)
	}
	return r, nil
}

// File limits.
const (
	// MaxFileSize bounds the bytes of create/fileMessage: 50 MiB, the
	// capability maxFileSize Kurier's phone announces; it fits MaxMessageSize.
	MaxFileSize = 50 << 20
	// MaxFileNameBytes bounds a file name.
	MaxFileNameBytes = 1024
	// MaxMIMETypeBytes bounds a MIME type.
	MaxMIMETypeBytes = 256
)

// FileMessageCreate is create/fileMessage from the web: args {type, id},
// data {name, fileType, size, data: bin, caption?, sendAsFile?, quote?,
// kurierDuration?}. Size must equal len(Data). kurierDuration is Kurier's:
// an audio file's length in seconds (Threema Web records none), which the
// phone sends as the file message's "x.d"; other apps ignore it.
type FileMessageCreate struct {
	Receiver   Receiver
	Name       string
	FileType   string
	Size       uint64
	Data       []byte
	Caption    string
	SendAsFile bool
	Quote      *Quote
	// Duration is an audio file's length in seconds (0: not said).
	Duration float64
}

// MaxFileDuration bounds kurierDuration: a day.
const MaxFileDuration = 24 * 60 * 60

// NewFileMessageCreate builds create/fileMessage with the correlation id.
func NewFileMessageCreate(id string, c FileMessageCreate) WireMessage {
	a := set{}
	c.Receiver.put(a)
	d := set{"name": c.Name, "fileType": c.FileType, "size": c.Size, "data": c.Data}
	d.maybeStr("caption", c.Caption)
	d.maybeTrue("sendAsFile", c.SendAsFile)
	if c.Duration > 0 {
		d["kurierDuration"] = c.Duration
	}
	if c.Quote != nil {
		d["quote"] = c.Quote.encode()
	}
	return WireMessage{Type: TypeCreate, SubType: SubFileMessage, ID: id, Args: a, Data: map[string]any(d)}
}

// DecodeFileMessageCreate decodes create/fileMessage from the web.
func DecodeFileMessageCreate(m WireMessage) (FileMessageCreate, error) {
	if err := expect(m, TypeCreate, SubFileMessage); err != nil {
		return FileMessageCreate{}, err
	}
	r, err := sendTarget(m)
	if err != nil {
		return FileMessageCreate{}, fmt.Errorf("webclient: fileMessage: %w", err)
	}
	d, err := dataOf(m, true)
	if err != nil {
		return FileMessageCreate{}, fmt.Errorf("webclient: fileMessage: %w", err)
	}
	c := FileMessageCreate{
		Receiver:   r,
		Name:       d.str("name", true, MaxFileNameBytes),
		FileType:   d.str("fileType", true, MaxMIMETypeBytes),
		Size:       d.uint("size", true, math.MaxInt64),
		Data:       d.bin("data", true, MaxFileSize),
		Caption:    d.str("caption", false, MaxTextBytes),
		SendAsFile: d.boolean("sendAsFile", false),
		Quote:      decodeQuote(d),
		Duration:   d.float("kurierDuration", false),
	}
	if c.Duration < 0 || c.Duration > MaxFileDuration {
		d.mismatch("kurierDuration", false, "is out of range")
		c.Duration = 0
	}
	if d.err != nil {
		return FileMessageCreate{}, fmt.Errorf("webclient: fileMessage: %w", d.err)
	}
	if c.Size != uint64(len(c.Data)) {
		return FileMessageCreate{}, fmt.Errorf("%w: data.size %d differs from %d data bytes", ErrField, c.Size, len(c.Data))
	}
	if c.Name == "" {
		return FileMessageCreate{}, fmt.Errorf("%w: data.name is empty", ErrField)
	}
	return c, nil
}

// MessageCreated is the app's reply to create/textMessage or
// create/fileMessage (§2.4): args {type, id} (and legacy temporaryId,
// success, error), data {messageId} on success, and an ack.
type MessageCreated struct {
	SubType   SubType
	Receiver  Receiver
	MessageID string // empty on failure
	Result    Result
}

// NewMessageCreated builds the reply to a create/textMessage or
// create/fileMessage request: err nil means success with messageID.
func NewMessageCreated(req WireMessage, r Receiver, messageID string, err error) WireMessage {
	a := set{}
	r.put(a)
	var data any
	if err == nil {
		data = map[string]any{"messageId": messageID}
	}
	return Reply(req, TypeCreate, req.SubType, a, data, err)
}

// DecodeMessageCreated decodes the app's reply to a create/textMessage or
// create/fileMessage. A failure decodes without error: see Result.Err.
func DecodeMessageCreated(m WireMessage) (MessageCreated, error) {
	if err := expect(m, TypeCreate, SubTextMessage, SubFileMessage); err != nil {
		return MessageCreated{}, err
	}
	res, err := ResultOf(m)
	if err != nil {
		return MessageCreated{}, fmt.Errorf("webclient: message created: %w", err)
	}
	c := MessageCreated{SubType: m.SubType, Result: res}
	a, err := argsOf(m, true)
	if err != nil {
		return MessageCreated{}, fmt.Errorf("webclient: message created: %w", err)
	}
	if c.Receiver, err = receiverFrom(a); err != nil {
		return MessageCreated{}, fmt.Errorf("webclient: message created: %w", err)
	}
	if res.Success {
		d, err := dataOf(m, true)
		if err != nil {
			return MessageCreated{}, fmt.Errorf("webclient: message created: %w", err)
		}
		c.MessageID = refID(d, "messageId")
		if d.err != nil {
			return MessageCreated{}, fmt.Errorf("webclient: message created: %w", d.err)
		}
	}
	return c, nil
}
