package csp

import "fmt"

// IDLen is the length of a Threema/Kurier identity (§3.6).
const IDLen = 8

// ID is an identity: 8 ASCII characters matching ^[A-Z0-9*][A-Z0-9]{7}$, a
// leading '*' marking a Gateway ID (§3.6). The zero value is not valid.
type ID [IDLen]byte

// ParseID validates s as an identity.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != IDLen {
		return id, fmt.Errorf("%w: %d characters", ErrInvalidID, len(s))
	}
	copy(id[:], s)
	if !id.Valid() {
		return ID{}, fmt.Errorf("%w: %q", ErrInvalidID, s)
	}
	return id, nil
}

// IDFromBytes validates the first IDLen bytes of b as an identity; b must be
// exactly IDLen bytes long.
func IDFromBytes(b []byte) (ID, error) {
	var id ID
	if len(b) != IDLen {
		return id, fmt.Errorf("%w: %d bytes", ErrInvalidID, len(b))
	}
	copy(id[:], b)
	if !id.Valid() {
		return ID{}, ErrInvalidID
	}
	return id, nil
}

// Valid reports whether id matches ^[A-Z0-9*][A-Z0-9]{7}$.
func (id ID) Valid() bool {
	for i, c := range id {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '*' && i == 0:
		default:
			return false
		}
	}
	return true
}

// String is the identity as text. An invalid identity is shown in hex so a
// log line never carries raw control bytes.
func (id ID) String() string {
	if !id.Valid() {
		return fmt.Sprintf("invalid(%x)", id[:])
	}
	return string(id[:])
}
