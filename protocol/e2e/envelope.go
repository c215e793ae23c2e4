package e2e

import (
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// ToEnvelope builds the CSP envelope (§3.4) of a sealed message. The legacy
// nickname field stays empty: the nickname travels in the metadata box, out
// of the server's sight. Metadata and Box alias s.
func ToEnvelope(h Header, s Sealed) (csp.Envelope, error) {
	if err := checkHeader(h); err != nil {
		return csp.Envelope{}, fmt.Errorf("e2e: to envelope: %w", err)
	}
	return csp.Envelope{
		Sender:    h.Sender,
		Receiver:  h.Receiver,
		MessageID: h.MessageID,
		CreatedAt: uint32(h.CreatedAt.Unix()),
		Flags:     h.Flags,
		Metadata:  s.MetadataBox,
		Nonce:     s.Nonce,
		Box:       s.MessageBox,
	}, nil
}

// FromEnvelope splits a decoded CSP envelope into the Header and Sealed
// that Open takes. Header.CreatedAt is the envelope's (unix seconds, UTC)
// and Header.Nickname its legacy field; Open returns the authenticated
// values in Metadata. MetadataBox and MessageBox alias e.
func FromEnvelope(e csp.Envelope) (Header, Sealed) {
	return Header{
			Sender:    e.Sender,
			Receiver:  e.Receiver,
			MessageID: e.MessageID,
			CreatedAt: time.Unix(int64(e.CreatedAt), 0).UTC(),
			Flags:     e.Flags,
			Nickname:  e.Nickname,
		}, Sealed{
			Nonce:       e.Nonce,
			MetadataBox: e.Metadata,
			MessageBox:  e.Box,
		}
}
