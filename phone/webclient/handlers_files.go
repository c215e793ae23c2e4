package webclient

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// handleFileMessage sends create/fileMessage (the file bytes arrive in the
// message) with the phone's SendFile, SendGroupFile or SendListFile (to each
// list member, as the Android app does), replies with the new message's id
// and pushes the message as new.
func (s *Session) handleFileMessage(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	c, ok := v.(wc.FileMessageCreate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	p := s.srv.p
	in := phone.FileInput{Name: c.Name, MIME: c.FileType, Data: c.Data, Caption: c.Caption, SendAsFile: c.SendAsFile}
	if strings.HasPrefix(c.FileType, "audio/") {
		in.Duration = c.Duration
	}
	var (
		msg store.Message
		err error
	)
	switch c.Receiver.Type {
	case wc.ReceiverContact:
		if msg, err = p.SendFile(ctx, c.Receiver.ID, in); err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInvalidContact, err)
		}
	case wc.ReceiverGroup:
		g, gerr := s.group(ctx, c.Receiver.ID)
		if gerr != nil {
			return nil, gerr
		}
		if msg, err = p.SendGroupFile(ctx, g.Creator, g.ID, in); err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInvalidGroup, err)
		}
	case wc.ReceiverDistributionList:
		l, lerr := s.list(ctx, c.Receiver.ID)
		if lerr != nil {
			return nil, lerr
		}
		if _, err := p.SendListFile(ctx, l.ID, in); err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInvalidDistributionList, err)
		}
		if msg, err = s.newestOfList(ctx, l); err != nil {
			return nil, err
		}
	default:
		return nil, wc.ErrInvalidConversation
	}
	s.show(msg.Seq)
	return []wc.WireMessage{
		wc.NewMessageCreated(m, c.Receiver, strconv.FormatInt(msg.Seq, 10), nil),
		wc.NewMessagesUpdate(wc.MessagesUpdate{Receiver: c.Receiver, Mode: wc.ModeNew, Messages: []wc.Message{s.messageOf(msg)}}),
	}, nil
}

// message finds the message a wire (receiver, messageId) addresses; a
// message of another conversation is invalidMessage.
func (s *Session) message(ctx context.Context, r wc.Receiver, id string) (store.Message, error) {
	key, err := s.conversationKey(ctx, r)
	if err != nil {
		return store.Message{}, err
	}
	seq, err := parseMessageID(id)
	if err != nil {
		return store.Message{}, err
	}
	msg, err := s.srv.p.Store().MessageBySeq(ctx, seq)
	if errors.Is(err, store.ErrNotFound) || (err == nil && msg.Conversation != key) {
		return store.Message{}, wc.ErrInvalidMessage
	}
	if err != nil {
		return store.Message{}, fmt.Errorf("webclient: message: %w", err)
	}
	return msg, nil
}

// handleThumbnail answers request/thumbnail with the stored file's thumbnail.
func (s *Session) handleThumbnail(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	ref, ok := v.(wc.MessageRef)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	msg, err := s.message(ctx, ref.Receiver, ref.MessageID)
	if err != nil {
		return nil, err
	}
	resp := wc.ThumbnailResponse{Receiver: ref.Receiver, MessageID: ref.MessageID}
	img, err := s.srv.p.DownloadThumbnail(ctx, msg)
	if err != nil {
		return []wc.WireMessage{wc.NewThumbnailResponse(m, resp, blobError(err))}, nil
	}
	resp.Image = img
	return []wc.WireMessage{wc.NewThumbnailResponse(m, resp, nil)}, nil
}

// handleBlob answers request/blob with the stored file: {blob, type, name}.
func (s *Session) handleBlob(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	ref, ok := v.(wc.MessageRef)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	msg, err := s.message(ctx, ref.Receiver, ref.MessageID)
	if err != nil {
		return nil, err
	}
	resp := wc.BlobResponse{Receiver: ref.Receiver, MessageID: ref.MessageID}
	fi, err := phone.FileInfoOf(msg)
	if err != nil {
		return []wc.WireMessage{wc.NewBlobResponse(m, resp, fmt.Errorf("%w: %w", wc.ErrInvalidMessage, err))}, nil
	}
	data, err := s.srv.p.DownloadFile(ctx, msg)
	if err != nil {
		return []wc.WireMessage{wc.NewBlobResponse(m, resp, blobError(err))}, nil
	}
	resp.Blob, resp.MIMEType, resp.Name = data, fi.MIME, fi.Name
	if resp.MIMEType == "" {
		resp.MIMEType = "application/octet-stream"
	}
	return []wc.WireMessage{wc.NewBlobResponse(m, resp, nil)}, nil
}

// blobError maps a failed download to its wire code: a message without a
// file (or thumbnail) is invalidMessage, anything else blobDownloadFailed.
func blobError(err error) error {
	if errors.Is(err, phone.ErrInvalid) {
		return fmt.Errorf("%w: %w", wc.ErrInvalidMessage, err)
	}
	return fmt.Errorf("%w: %w", wc.ErrBlobDownloadFailed, err)
}
