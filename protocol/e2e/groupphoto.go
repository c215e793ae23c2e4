package e2e

import (
	"encoding/binary"
	"fmt"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// GroupSetPhoto (0x50) gives the members the group's photo; sent by the
// creator. Inner: group-creator container (§3.5) of the set-profile-picture
// layout, group id u64-le ‖ blob id (16) ‖ size u32-le ‖ key (32). The
// blob is secretbox-encrypted with Key and the nonce 00…01 (§5).
type GroupSetPhoto struct {
	// GroupID is the creator's group id.
	GroupID uint64
	// BlobID is the blob holding the encrypted photo.
	BlobID BlobID
	// Size is the size of the encrypted blob in bytes.
	Size uint32
	// Key is the blob's secretbox key.
	Key cryptobox.SymmetricKey
}

// Type returns TypeGroupSetPhoto.
func (GroupSetPhoto) Type() byte { return TypeGroupSetPhoto }

func (m GroupSetPhoto) appendInner(dst []byte) ([]byte, error) {
	dst = binary.LittleEndian.AppendUint64(dst, m.GroupID)
	return SetProfilePicture{BlobID: m.BlobID, Size: m.Size, Key: m.Key}.appendInner(dst)
}

func decodeGroupSetPhoto(b []byte) (Message, error) {
	gid, rest, err := splitCreatorContainer(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != setProfilePictureLen {
		return nil, fmt.Errorf("%w: group set-photo of %d bytes", ErrMalformed, len(b))
	}
	p, err := decodeSetProfilePicture(rest)
	if err != nil {
		return nil, err
	}
	sp := p.(SetProfilePicture)
	return GroupSetPhoto{GroupID: gid, BlobID: sp.BlobID, Size: sp.Size, Key: sp.Key}, nil
}

// GroupDeletePhoto (0x54) removes the group's photo; sent by the creator.
// Inner: group-creator container (§3.5) with nothing else.
type GroupDeletePhoto struct {
	// GroupID is the creator's group id.
	GroupID uint64
}

// Type returns TypeGroupDeletePhoto.
func (GroupDeletePhoto) Type() byte { return TypeGroupDeletePhoto }

func (m GroupDeletePhoto) appendInner(dst []byte) ([]byte, error) {
	return binary.LittleEndian.AppendUint64(dst, m.GroupID), nil
}

func decodeGroupDeletePhoto(b []byte) (Message, error) {
	gid, rest, err := splitCreatorContainer(b)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: group delete-photo of %d bytes", ErrMalformed, len(b))
	}
	return GroupDeletePhoto{GroupID: gid}, nil
}
