package e2e

import (
	"fmt"
	"io"
	"math"
	"time"
	"unicode/utf8"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// Header is the part of the envelope (§3.4) that Seal and Open need.
type Header struct {
	// Sender is the sending identity.
	Sender csp.ID
	// Receiver is the receiving identity.
	Receiver csp.ID
	// MessageID is the random message id, unique per (sender, receiver);
	// the same for every member of a group send.
	MessageID uint64
	// CreatedAt is the creation time. Seal puts it in the metadata box (ms)
	// and the envelope (s); on Open it is the envelope's, which the server
	// may have replaced: trust Metadata.CreatedAt instead.
	CreatedAt time.Time
	// Flags are the envelope flags (see SendFlags).
	Flags csp.Flags
	// Nickname is the sender's nickname. Seal puts it in the metadata box
	// only, not in the legacy header field the server can read.
	Nickname string
}

// Sealed is one sealed message: the parts of the envelope after the header.
type Sealed struct {
	// Nonce is the random nonce of both boxes.
	Nonce cryptobox.Nonce
	// MetadataBox is Secretbox[MMK; Nonce](MessageMetadata).
	MetadataBox []byte
	// MessageBox is Box[K; Nonce](type ‖ inner ‖ padding).
	MessageBox []byte
}

// checkHeader validates the fields a header must have in both directions.
func checkHeader(h Header) error {
	switch {
	case !h.Sender.Valid() || !h.Receiver.Valid():
		return fmt.Errorf("%w: %w", ErrInvalidHeader, csp.ErrInvalidID)
	case h.Flags.Has(csp.FlagGroupReserved):
		return fmt.Errorf("%w: reserved flag 0x10", ErrInvalidHeader)
	case h.CreatedAt.Before(time.Unix(0, 0)) || h.CreatedAt.Unix() > math.MaxUint32:
		return fmt.Errorf("%w: created-at outside u32 seconds", ErrInvalidHeader)
	case !utf8.ValidString(h.Nickname):
		return fmt.Errorf("%w: nickname is not UTF-8", ErrInvalidHeader)
	}
	return nil
}

// Seal encrypts m from keys.Self to keys.Peer (§3.4, §3.5). It reads from
// rand, in this order: the 24-byte nonce, 2 bytes for the container padding
// and 1 byte for the metadata padding.
//
// The caller must record the returned nonce in its NonceStore before the
// envelope leaves the device (see the package documentation).
func Seal(rand io.Reader, keys PeerKeys, h Header, m Message) (Sealed, error) {
	if err := checkHeader(h); err != nil {
		return Sealed{}, fmt.Errorf("e2e: seal: %w", err)
	}
	if h.Sender != keys.Self || h.Receiver != keys.Peer {
		return Sealed{}, fmt.Errorf("e2e: seal: %w", ErrWrongPeer)
	}
	nonce, err := cryptobox.RandomNonce(rand)
	if err != nil {
		return Sealed{}, fmt.Errorf("e2e: seal: %w", err)
	}
	container, err := EncodeContainer(rand, m)
	if err != nil {
		return Sealed{}, fmt.Errorf("e2e: seal: %w", err)
	}
	meta, err := encodeMetadata(rand, Metadata{Nickname: h.Nickname, MessageID: h.MessageID, CreatedAt: h.CreatedAt})
	if err != nil {
		return Sealed{}, fmt.Errorf("e2e: seal: %w", err)
	}
	s := Sealed{
		Nonce:       nonce,
		MetadataBox: keys.mmk.Seal(nil, meta, &nonce),
		MessageBox:  keys.box.Seal(nil, container, &nonce),
	}
	clear(container)
	if n := csp.EnvelopeHeaderLen + len(s.MetadataBox) + len(s.MessageBox); n > csp.MaxEnvelopeLen {
		return Sealed{}, fmt.Errorf("%w: envelope of %d bytes (max %d)", ErrTooLarge, n, csp.MaxEnvelopeLen)
	}
	return s, nil
}

// Open decrypts a message for keys.Self from keys.Peer and does the
// stateless receiver checks of §3.4:
//
//   - the receiver is self (ErrNotForMe) and the sender is not (ErrFromSelf),
//   - the sender is keys.Peer (ErrWrongPeer),
//   - a metadata box is present (ErrMissingMetadata) and authentic
//     (ErrDecrypt), and its message id equals the header's
//     (ErrMessageIDMismatch),
//   - the message box is authentic (ErrDecrypt), its padding is valid and
//     the message decodes.
//
// When only the last step fails — the message is authentic but malformed,
// or of a type Decode does not support (*UnsupportedTypeError) — Open
// returns the Metadata with the error, so the caller can still ack, record
// the nonce, deduplicate and log the type. On every other error the
// Metadata is zero.
//
// Open leaves the stateful checks (nonce reuse, deduplication, revoked
// senders) to the caller; see the package documentation.
func Open(keys PeerKeys, h Header, s Sealed) (Message, Metadata, error) {
	switch {
	case h.Receiver != keys.Self:
		return nil, Metadata{}, fmt.Errorf("e2e: open: %w", ErrNotForMe)
	case h.Sender == keys.Self:
		return nil, Metadata{}, fmt.Errorf("e2e: open: %w", ErrFromSelf)
	case h.Sender != keys.Peer:
		return nil, Metadata{}, fmt.Errorf("e2e: open: %w", ErrWrongPeer)
	case len(s.MetadataBox) == 0:
		return nil, Metadata{}, fmt.Errorf("e2e: open: %w", ErrMissingMetadata)
	}
	plain, err := keys.mmk.Open(nil, s.MetadataBox, &s.Nonce)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("%w: metadata box: %w", ErrDecrypt, err)
	}
	meta, err := decodeMetadata(plain)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("e2e: open: metadata: %w", err)
	}
	if meta.MessageID != h.MessageID {
		return nil, Metadata{}, fmt.Errorf("e2e: open: %w", ErrMessageIDMismatch)
	}
	container, err := keys.box.Open(nil, s.MessageBox, &s.Nonce)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("%w: message box: %w", ErrDecrypt, err)
	}
	m, err := DecodeContainer(container)
	clear(container)
	if err != nil {
		return nil, meta, fmt.Errorf("e2e: open: %w", err)
	}
	return m, meta, nil
}
