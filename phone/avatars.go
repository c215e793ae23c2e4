package phone

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/e2e"
)

// avatarDownloadTimeout bounds the download of a contact's profile picture
// or a group photo; it runs in the receive loop.
const avatarDownloadTimeout = 30 * time.Second

// Avatar returns the stored avatar of key — a conversation key
// (store.ContactKey, store.GroupKey) or store.OwnAvatarKey — as a JPEG of
// at most AvatarEdge pixels per edge. No avatar is store.ErrNotFound.
func (p *Phone) Avatar(ctx context.Context, key string) ([]byte, error) {
	a, err := p.st.Avatar(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("phone: avatar: %w", err)
	}
	return a.Image, nil
}

// putAvatar stores an avatar and announces it.
func (p *Phone) putAvatar(ctx context.Context, key string, img []byte) error {
	if err := p.st.PutAvatar(ctx, store.Avatar{Key: key, Image: img, UpdatedAt: p.opts.now()}); err != nil {
		return fmt.Errorf("phone: avatar: %w", err)
	}
	p.emit(Event{Kind: EventAvatar, Conversation: key})
	return nil
}

// uploadAvatar encrypts a normalized avatar with a fresh key and the fixed
// file nonce (§5) and uploads it once; every receiver gets the same blob.
func (p *Phone) uploadAvatar(ctx context.Context, img []byte) (e2e.SetProfilePicture, error) {
	key, err := cryptobox.RandomSymmetricKey(p.opts.rand)
	if err != nil {
		return e2e.SetProfilePicture{}, fmt.Errorf("phone: avatar key: %w", err)
	}
	id, err := p.upload(ctx, &key, &fileNonce, img)
	if err != nil {
		return e2e.SetProfilePicture{}, err
	}
	return e2e.SetProfilePicture{BlobID: id, Size: uint32(len(img) + cryptobox.Overhead), Key: key}, nil
}

// pictureReceivers are the contacts that get the own profile picture:
// every contact that is neither revoked nor blocked.
func (p *Phone) pictureReceivers(ctx context.Context) ([]store.Contact, error) {
	cs, err := p.st.Contacts(ctx)
	if err != nil {
		return nil, fmt.Errorf("phone: contacts: %w", err)
	}
	out := cs[:0]
	for _, c := range cs {
		if c.State != store.ContactRevoked && !c.Blocked {
			out = append(out, c)
		}
	}
	return out, nil
}

// SetProfilePicture sets the own profile picture from a JPEG or PNG image
// (NormalizeAvatar: ErrImage, ErrTooLarge), stores it, uploads it to the
// blob server once and queues a set-profile-picture (0x18, §3.5) to every
// contact that is neither revoked nor blocked. Contacts added later get it
// only with the next SetProfilePicture. It returns the stored JPEG.
func (p *Phone) SetProfilePicture(ctx context.Context, image []byte) ([]byte, error) {
	img, err := NormalizeAvatar(image)
	if err != nil {
		return nil, err
	}
	to, err := p.pictureReceivers(ctx)
	if err != nil {
		return nil, err
	}
	var msg e2e.SetProfilePicture
	if len(to) > 0 {
		if msg, err = p.uploadAvatar(ctx, img); err != nil {
			return nil, err
		}
	}
	if err := p.putAvatar(ctx, store.OwnAvatarKey, img); err != nil {
		return nil, err
	}
	for _, c := range to {
		if err := p.sendControl(ctx, c, msg); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// DeleteProfilePicture removes the own profile picture and queues a
// delete-profile-picture (0x19) to every contact that is neither revoked
// nor blocked. Without a picture it does nothing.
func (p *Phone) DeleteProfilePicture(ctx context.Context) error {
	had, err := p.st.DeleteAvatar(ctx, store.OwnAvatarKey)
	if err != nil {
		return fmt.Errorf("phone: delete profile picture: %w", err)
	}
	if !had {
		return nil
	}
	p.emit(Event{Kind: EventAvatar, Conversation: store.OwnAvatarKey})
	to, err := p.pictureReceivers(ctx)
	if err != nil {
		return err
	}
	for _, c := range to {
		if err := p.sendControl(ctx, c, e2e.DeleteProfilePicture{}); err != nil {
			return err
		}
	}
	return nil
}

// SetGroupPhoto sets the photo of a group the phone created (ErrNotCreator
// otherwise) from a JPEG or PNG image, stores it and sends a group
// set-photo (0x50) to every member. It returns the stored JPEG.
func (p *Phone) SetGroupPhoto(ctx context.Context, id uint64, image []byte) ([]byte, error) {
	g, err := p.ownGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	img, err := NormalizeAvatar(image)
	if err != nil {
		return nil, err
	}
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return nil, err
	}
	var pic e2e.SetProfilePicture
	if len(to) > 0 {
		if pic, err = p.uploadAvatar(ctx, img); err != nil {
			return nil, err
		}
	}
	if err := p.putAvatar(ctx, g.Key(), img); err != nil {
		return nil, err
	}
	for _, c := range to {
		m := e2e.GroupSetPhoto{GroupID: g.ID, BlobID: pic.BlobID, Size: pic.Size, Key: pic.Key}
		if err := p.sendControl(ctx, c, m); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// DeleteGroupPhoto removes the photo of a group the phone created and
// sends a group delete-photo (0x54) to every member.
func (p *Phone) DeleteGroupPhoto(ctx context.Context, id uint64) error {
	g, err := p.ownGroup(ctx, id)
	if err != nil {
		return err
	}
	had, err := p.st.DeleteAvatar(ctx, g.Key())
	if err != nil {
		return fmt.Errorf("phone: delete group photo: %w", err)
	}
	if !had {
		return nil
	}
	p.emit(Event{Kind: EventAvatar, Conversation: g.Key()})
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return err
	}
	for _, c := range to {
		if err := p.sendControl(ctx, c, e2e.GroupDeletePhoto{GroupID: g.ID}); err != nil {
			return err
		}
	}
	return nil
}

// fetchAvatar downloads, decrypts and normalizes a picture announced by a
// contact. The blob is not marked done: every receiver of a profile
// picture or group photo downloads the same blob.
func (p *Phone) fetchAvatar(ctx context.Context, pic e2e.SetProfilePicture) ([]byte, error) {
	if pic.Size > AvatarMaxBytes+cryptobox.Overhead {
		return nil, fmt.Errorf("%w: announced picture of %d bytes", ErrTooLarge, pic.Size)
	}
	ctx, cancel := context.WithTimeout(ctx, avatarDownloadTimeout)
	defer cancel()
	rc, err := p.blobc.Download(ctx, pic.BlobID.String())
	if err != nil {
		return nil, fmt.Errorf("phone: download picture: %w", err)
	}
	defer func() { _ = rc.Close() }()
	box, err := io.ReadAll(io.LimitReader(rc, AvatarMaxBytes+cryptobox.Overhead+1))
	if err != nil {
		return nil, fmt.Errorf("phone: download picture: %w", err)
	}
	if len(box) > AvatarMaxBytes+cryptobox.Overhead {
		return nil, fmt.Errorf("%w: picture blob of more than %d bytes", ErrTooLarge, AvatarMaxBytes+cryptobox.Overhead)
	}
	plain, err := pic.Key.Open(nil, box, &fileNonce)
	if err != nil {
		return nil, fmt.Errorf("phone: decrypt picture: %w", err)
	}
	return NormalizeAvatar(plain)
}

// receiveAvatar is the follow-up of an accepted set-profile-picture or
// group set-photo: after the batch's commit it fetches the picture and
// stores it under key. A picture that cannot be fetched or is not an image
// is logged and dropped (the message is acked either way).
func (p *Phone) receiveAvatar(v *verdict, from, key string, pic e2e.SetProfilePicture) {
	v.after = append(v.after, func(ctx context.Context) {
		img, err := p.fetchAvatar(ctx, pic)
		if err != nil {
			p.log.Warn("picture dropped", "peer", from, "key", key, "err", err)
			return
		}
		if err := p.putAvatar(ctx, key, img); err != nil {
			p.log.Warn("picture not stored", "peer", from, "key", key, "err", err)
		}
	})
}

// dropAvatar deletes the avatar of key inside the batch's transaction.
func (p *Phone) dropAvatar(ctx context.Context, tx *store.Tx, v *verdict, key string) error {
	had, err := tx.DeleteAvatar(ctx, key)
	if err != nil {
		return err
	}
	if had {
		v.events = append(v.events, Event{Kind: EventAvatar, Conversation: key})
	}
	return nil
}

// applyGroupPhoto acts on a group set-photo or delete-photo from the
// creator of a group the phone is a member of.
func (p *Phone) applyGroupPhoto(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, m e2e.Message) error {
	g, ok := e2e.GroupOf(m, v.env.Sender, v.env.Receiver)
	if !ok {
		return nil
	}
	gr, err := tx.Group(ctx, c.ID, g.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && gr.Left) {
		p.reject(v, RejectGroup, errors.New("photo of an unknown or left group"))
		return nil
	}
	if err != nil {
		return err
	}
	switch m := m.(type) {
	case e2e.GroupSetPhoto:
		p.receiveAvatar(v, c.ID, gr.Key(), e2e.SetProfilePicture{BlobID: m.BlobID, Size: m.Size, Key: m.Key})
		return nil
	default:
		return p.dropAvatar(ctx, tx, v, gr.Key())
	}
}
