package csp

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Envelope sizes (§3.4).
const (
	// EnvelopeHeaderLen is the fixed part of an envelope without metadata,
	// nonce included (OVERHEAD_MSG_HDR).
	EnvelopeHeaderLen = envOffMetadata + cryptobox.NonceSize
	// NicknameLen is the size of the legacy nickname field.
	NicknameLen = 32
	// MaxEnvelopeLen is the largest envelope that fits in one frame.
	MaxEnvelopeLen = MaxPayloadLen
	// MinMessageBoxLen is the smallest message box: an empty box (its tag).
	MinMessageBoxLen = cryptobox.Overhead
)

// Envelope field offsets (§3.4).
const (
	envOffSender      = 0
	envOffReceiver    = 8
	envOffMessageID   = 16
	envOffCreatedAt   = 24
	envOffFlags       = 28
	envOffReserved    = 29
	envOffMetadataLen = 30
	envOffNickname    = 32
	envOffMetadata    = 64
)

// Flags are the message flags of §3.4.
type Flags uint8

// Message flags (§3.4).
const (
	// FlagPush asks for a push notification.
	FlagPush Flags = 0x01
	// FlagNoQueuing drops the message if the receiver is offline (typing).
	FlagNoQueuing Flags = 0x02
	// FlagNoAck means no server ack to the sender and no client ack from
	// the receiver.
	FlagNoAck Flags = 0x04
	// FlagGroupReserved was the group flag; it is reserved now.
	FlagGroupReserved Flags = 0x10
	// FlagShortLived keeps the message queued for only 60 seconds.
	FlagShortLived Flags = 0x20
	// FlagNoDeliveryReceipts means no automatic delivery receipts.
	FlagNoDeliveryReceipts Flags = 0x80
)

// Has reports whether every bit of f2 is set in f.
func (f Flags) Has(f2 Flags) bool { return f&f2 == f2 }

// Envelope is the message envelope of payloads 0x01 and 0x02 (§3.4). The
// server treats Metadata and Box as opaque bytes.
type Envelope struct {
	// Sender and Receiver are the identities of the two ends.
	Sender   ID
	Receiver ID
	// MessageID is random and unique per sender/receiver pair.
	MessageID uint64
	// CreatedAt is the creation time in unix seconds.
	CreatedAt uint32
	// Flags are the message flags (FlagPush, FlagNoQueuing, …).
	Flags Flags
	// Nickname is the legacy sender nickname (at most 32 bytes, no NUL).
	Nickname string
	// Metadata is the metadata box (empty for a legacy message).
	Metadata []byte
	// Nonce is the nonce of the message box and of the metadata box.
	Nonce cryptobox.Nonce
	// Box is Box[sender CK.sec, receiver CK.pub; Nonce](e2e container).
	Box []byte
}

// Len is the encoded size of e.
func (e *Envelope) Len() int { return EnvelopeHeaderLen + len(e.Metadata) + len(e.Box) }

// AppendTo appends the encoding of e to dst after validating it.
func (e *Envelope) AppendTo(dst []byte) ([]byte, error) {
	if err := e.validate(); err != nil {
		return dst, err
	}
	var h [envOffMetadata]byte
	copy(h[envOffSender:], e.Sender[:])
	copy(h[envOffReceiver:], e.Receiver[:])
	binary.LittleEndian.PutUint64(h[envOffMessageID:], e.MessageID)
	binary.LittleEndian.PutUint32(h[envOffCreatedAt:], e.CreatedAt)
	h[envOffFlags] = byte(e.Flags)
	binary.LittleEndian.PutUint16(h[envOffMetadataLen:], uint16(len(e.Metadata)))
	copy(h[envOffNickname:], e.Nickname)
	dst = append(dst, h[:]...)
	dst = append(dst, e.Metadata...)
	dst = append(dst, e.Nonce[:]...)
	return append(dst, e.Box...), nil
}

func (e *Envelope) validate() error {
	switch {
	case !e.Sender.Valid():
		return fmt.Errorf("csp: envelope sender: %w", ErrInvalidID)
	case !e.Receiver.Valid():
		return fmt.Errorf("csp: envelope receiver: %w", ErrInvalidID)
	case len(e.Nickname) > NicknameLen || bytes.IndexByte([]byte(e.Nickname), 0) >= 0:
		return fmt.Errorf("%w: nickname of %d bytes", ErrInvalidPayload, len(e.Nickname))
	case len(e.Box) < MinMessageBoxLen:
		return fmt.Errorf("%w: message box of %d bytes", ErrLength, len(e.Box))
	case e.Len() > MaxEnvelopeLen:
		return fmt.Errorf("%w: envelope of %d bytes", ErrFrameTooLarge, e.Len())
	}
	return nil
}

// DecodeEnvelope decodes and validates an envelope: valid identities, the
// reserved byte zero, a zero-padded nickname, a metadata length that fits,
// and a message box of at least MinMessageBoxLen bytes. Metadata and Box
// alias b.
func DecodeEnvelope(b []byte) (Envelope, error) {
	var e Envelope
	if len(b) < EnvelopeHeaderLen+MinMessageBoxLen {
		return e, fmt.Errorf("%w: envelope of %d bytes", ErrLength, len(b))
	}
	if len(b) > MaxEnvelopeLen {
		return e, fmt.Errorf("%w: envelope of %d bytes", ErrFrameTooLarge, len(b))
	}
	var err error
	if e.Sender, err = IDFromBytes(b[envOffSender:envOffReceiver]); err != nil {
		return Envelope{}, fmt.Errorf("csp: envelope sender: %w", err)
	}
	if e.Receiver, err = IDFromBytes(b[envOffReceiver:envOffMessageID]); err != nil {
		return Envelope{}, fmt.Errorf("csp: envelope receiver: %w", err)
	}
	e.MessageID = binary.LittleEndian.Uint64(b[envOffMessageID:])
	e.CreatedAt = binary.LittleEndian.Uint32(b[envOffCreatedAt:])
	e.Flags = Flags(b[envOffFlags])
	if b[envOffReserved] != 0 {
		return Envelope{}, fmt.Errorf("%w: envelope byte 29", ErrReserved)
	}
	nick := b[envOffNickname:envOffMetadata]
	if i := bytes.IndexByte(nick, 0); i >= 0 {
		if !allZero(nick[i:]) {
			return Envelope{}, fmt.Errorf("%w: nickname is not zero-padded", ErrInvalidPayload)
		}
		nick = nick[:i]
	}
	e.Nickname = string(nick)
	mlen := int(binary.LittleEndian.Uint16(b[envOffMetadataLen:]))
	rest := b[envOffMetadata:]
	if mlen+cryptobox.NonceSize+MinMessageBoxLen > len(rest) {
		return Envelope{}, fmt.Errorf("%w: metadata of %d bytes in an envelope of %d", ErrLength, mlen, len(b))
	}
	if mlen > 0 {
		e.Metadata = rest[:mlen]
	}
	copy(e.Nonce[:], rest[mlen:mlen+cryptobox.NonceSize])
	e.Box = rest[mlen+cryptobox.NonceSize:]
	return e, nil
}

// PeekEnvelopeIDs reads sender, receiver, message id and flags of an encoded
// envelope that DecodeEnvelope has accepted before, without decoding the rest.
func PeekEnvelopeIDs(b []byte) (sender, receiver ID, messageID uint64, flags Flags, err error) {
	if len(b) < EnvelopeHeaderLen {
		return sender, receiver, 0, 0, fmt.Errorf("%w: envelope of %d bytes", ErrLength, len(b))
	}
	copy(sender[:], b[envOffSender:])
	copy(receiver[:], b[envOffReceiver:])
	return sender, receiver, binary.LittleEndian.Uint64(b[envOffMessageID:]), Flags(b[envOffFlags]), nil
}

// SetEnvelopeCreatedAt overwrites the created-at field of an encoded envelope
// in place (the server replaces a time in the future, §3.4).
func SetEnvelopeCreatedAt(b []byte, unixSeconds uint32) error {
	if len(b) < EnvelopeHeaderLen {
		return fmt.Errorf("%w: envelope of %d bytes", ErrLength, len(b))
	}
	binary.LittleEndian.PutUint32(b[envOffCreatedAt:], unixSeconds)
	return nil
}
