package blob

import (
	"encoding/hex"
	"fmt"
)

// IDSize is the size of a blob id in bytes (§5: 16 bytes, 32 hex chars).
const IDSize = 16

// ID is a blob id.
type ID [IDSize]byte

// String is the id as the wire carries it: 32 lowercase hex characters.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// ParseID reads a blob id from exactly 32 lowercase hex characters.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*IDSize {
		return id, fmt.Errorf("%w: %d characters", ErrInvalidID, len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return id, fmt.Errorf("%w: not lowercase hex", ErrInvalidID)
		}
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("%w: %w", ErrInvalidID, err)
	}
	return id, nil
}
