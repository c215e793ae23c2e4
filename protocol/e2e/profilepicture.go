package e2e

import (
	"encoding/binary"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// setProfilePictureLen is blob id (16) ‖ size u32 ‖ key (32) (§3.5).
const setProfilePictureLen = BlobIDLen + 4 + cryptobox.KeySize

// SetProfilePicture (0x18) gives the peer the sender's profile picture: a
// blob on the blob server, secretbox-encrypted with Key (nonce 00…01, §5).
// Inner: blob id (16) ‖ size u32-le ‖ key (32).
type SetProfilePicture struct {
	// BlobID is the blob holding the encrypted picture.
	BlobID BlobID
	// Size is the size of the encrypted blob in bytes.
	Size uint32
	// Key is the blob's secretbox key.
	Key cryptobox.SymmetricKey
}

// Type returns TypeSetProfilePicture.
func (SetProfilePicture) Type() byte { return TypeSetProfilePicture }

func (m SetProfilePicture) appendInner(dst []byte) ([]byte, error) {
	dst = append(dst, m.BlobID[:]...)
	dst = binary.LittleEndian.AppendUint32(dst, m.Size)
	return append(dst, m.Key[:]...), nil
}

func decodeSetProfilePicture(b []byte) (Message, error) {
	if len(b) != setProfilePictureLen {
		return nil, fmt.Errorf("%w: set-profile-picture of %d bytes", ErrMalformed, len(b))
	}
	var m SetProfilePicture
	copy(m.BlobID[:], b)
	m.Size = binary.LittleEndian.Uint32(b[BlobIDLen:])
	copy(m.Key[:], b[BlobIDLen+4:])
	return m, nil
}

// DeleteProfilePicture (0x19) tells the peer to drop the sender's profile
// picture. The inner message is empty.
type DeleteProfilePicture struct{}

// Type returns TypeDeleteProfilePicture.
func (DeleteProfilePicture) Type() byte { return TypeDeleteProfilePicture }

func (DeleteProfilePicture) appendInner(dst []byte) ([]byte, error) { return dst, nil }

func decodeDeleteProfilePicture(b []byte) (Message, error) {
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: delete-profile-picture of %d bytes", ErrMalformed, len(b))
	}
	return DeleteProfilePicture{}, nil
}
