package e2e

import (
	"encoding/hex"
	"fmt"
)

// BlobIDLen is the size of a blob id (§5).
const BlobIDLen = 16

// BlobID is the 16-byte id the blob server gives an upload (§5).
type BlobID [BlobIDLen]byte

// String is the lowercase hex form the blob server and the file JSON use.
func (id BlobID) String() string { return hex.EncodeToString(id[:]) }

// ParseBlobID reads a blob id from 32 hex characters (either case).
func ParseBlobID(s string) (BlobID, error) {
	var id BlobID
	if err := decodeHexExact(id[:], s); err != nil {
		return BlobID{}, fmt.Errorf("e2e: blob id: %w", err)
	}
	return id, nil
}

// decodeHexExact fills dst from exactly 2·len(dst) hex characters. Its
// errors never quote the input.
func decodeHexExact(dst []byte, s string) error {
	if len(s) != 2*len(dst) {
		return fmt.Errorf("%w: %d hex characters, want %d", ErrInvalidField, len(s), 2*len(dst))
	}
	if _, err := hex.Decode(dst, []byte(s)); err != nil {
		return fmt.Errorf("%w: not hex", ErrInvalidField)
	}
	return nil
}
