package webclient

import (
	"fmt"

	"github.com/kurier/kurier/protocol/csp"
)

// ReceiverType is args.type of a receiver-addressed message (§2.4;
// WEB threema.d.ts ReceiverType).
type ReceiverType string

// The receiver types of §2.4.
const (
	ReceiverMe               ReceiverType = "me"
	ReceiverContact          ReceiverType = "contact"
	ReceiverGroup            ReceiverType = "group"
	ReceiverDistributionList ReceiverType = "distributionList"
)

// maxReceiverIDLen bounds a group or distribution list id: a decimal local id
// (AND converter/Group.java, DistributionList.java: String.valueOf(id)) or the
// 16 hex digits of an 8-byte group id.
const maxReceiverIDLen = 20

// Receiver addresses a conversation partner: args.type and args.id (§2.4).
// For contacts and me the id is a Threema ID; for groups and distribution
// lists it is a decimal local id or 16 hex digits.
type Receiver struct {
	Type ReceiverType
	ID   string
}

// ValidIdentity reports whether s is a Threema ID, ^[A-Z0-9*][A-Z0-9]{7}$.
func ValidIdentity(s string) bool {
	_, err := csp.ParseID(s)
	return err == nil
}

// validLocalID reports whether s is a decimal id or 16 hex digits.
func validLocalID(s string) bool {
	if len(s) == 0 || len(s) > maxReceiverIDLen {
		return false
	}
	dec := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			dec = false
			if (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return dec || len(s) == 16
}

// Validate checks the type and the id's form for that type.
func (r Receiver) Validate() error {
	switch r.Type {
	case ReceiverMe, ReceiverContact:
		if !ValidIdentity(r.ID) {
			return fmt.Errorf("%w: %s id is not a Threema ID", ErrReceiver, r.Type)
		}
	case ReceiverGroup, ReceiverDistributionList:
		if !validLocalID(r.ID) {
			return fmt.Errorf("%w: %s id is not a decimal or 16-digit hex id", ErrReceiver, r.Type)
		}
	default:
		return fmt.Errorf("%w: unknown type of %d bytes", ErrReceiver, len(r.Type))
	}
	return nil
}

// receiverFrom reads type and id from o (args, or a conversation object) and validates them.
func receiverFrom(o *obj) (Receiver, error) {
	r := Receiver{Type: ReceiverType(o.str("type", true, 32)), ID: o.str("id", true, 64)}
	if o.err != nil {
		return Receiver{}, fmt.Errorf("%w: %w", ErrReceiver, o.err)
	}
	if err := r.Validate(); err != nil {
		return Receiver{}, err
	}
	return r, nil
}

// put writes type and id into an args map.
func (r Receiver) put(s set) {
	s["type"] = string(r.Type)
	s["id"] = r.ID
}
