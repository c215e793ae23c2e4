package webclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// avatarKey is the avatar key a receiver addresses: store.OwnAvatarKey for
// "me" (or the own identity as a contact), else its conversation key.
func (s *Session) avatarKey(ctx context.Context, r wc.Receiver) (string, error) {
	if r.Type == wc.ReceiverMe || (r.Type == wc.ReceiverContact && r.ID == s.srv.p.ID()) {
		return store.OwnAvatarKey, nil
	}
	return s.conversationKey(ctx, r)
}

// avatarImage returns the avatar of key with its longest edge at most edge
// pixels, or nil when there is none (or it cannot be scaled: the desktop
// then draws the initials).
func (s *Session) avatarImage(ctx context.Context, key string, edge int) ([]byte, error) {
	img, err := s.srv.p.Avatar(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if edge <= 0 || edge >= phone.AvatarEdge {
		return img, nil
	}
	scaled, err := phone.ScaleAvatar(img, edge)
	if err != nil {
		s.log.Warn("stored avatar does not scale", "key", key, "err", err)
		return nil, nil
	}
	return scaled, nil
}

// avatarEdge is the edge length an avatar request asks for: maxSize when
// given, else the high (512 px) or low (48 px) resolution of §2.4.
func avatarEdge(req wc.AvatarRequest) int {
	switch {
	case req.MaxSize > 0:
		return int(req.MaxSize)
	case req.HighResolution:
		return wc.AvatarHighResPx
	}
	return wc.AvatarLowResPx
}

// handleAvatar answers request/avatar with the stored avatar (JPEG), scaled
// to maxSize or the requested resolution; without an avatar the reply is a
// success without data (Threema Web then draws the initials).
func (s *Session) handleAvatar(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	req, ok := v.(wc.AvatarRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	key, err := s.avatarKey(ctx, req.Receiver)
	if err != nil {
		return nil, err
	}
	img, err := s.avatarImage(ctx, key, avatarEdge(req))
	if err != nil {
		return nil, fmt.Errorf("webclient: avatar: %w", err)
	}
	return []wc.WireMessage{wc.NewAvatarResponse(m, wc.Avatar{Receiver: req.Receiver, HighResolution: req.HighResolution, Image: img})}, nil
}

// profile is the own profile with the high-resolution profile picture.
func (s *Session) profile(ctx context.Context) (wc.Profile, error) {
	p := s.srv.p
	pub := p.PublicKey()
	img, err := s.avatarImage(ctx, store.OwnAvatarKey, wc.AvatarHighResPx)
	if err != nil {
		return wc.Profile{}, fmt.Errorf("webclient: profile: %w", err)
	}
	return wc.Profile{Identity: p.ID(), PublicKey: pub[:], PublicNickname: p.Nickname(), Avatar: img}, nil
}

// handleProfile answers request/profile.
func (s *Session) handleProfile(ctx context.Context, m wc.WireMessage, _ any) ([]wc.WireMessage, error) {
	pr, err := s.profile(ctx)
	if err != nil {
		return nil, err
	}
	return []wc.WireMessage{wc.NewProfile(m, pr)}, nil
}

// handleProfileUpdate applies the desktop's update/profile: a non-empty
// avatar sets the profile picture (sent to the contacts), an empty one
// removes it; a missing or nil avatar leaves it. A different nickname is
// set (one over 32 bytes never gets here: the decoder answers valueTooLong,
// as the Android app does). An avatar sent as nil removes the picture too
// (Threema Web's way). The reply is response/confirmAction, as the Android
// app answers; the change reaches every desktop as an update/profile push.
func (s *Session) handleProfileUpdate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	u, ok := v.(wc.ProfileUpdate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	p := s.srv.p
	if u.PublicNickname != nil && *u.PublicNickname != p.Nickname() {
		if err := p.SetNickname(ctx, *u.PublicNickname); err != nil {
			if errors.Is(err, phone.ErrInvalid) {
				return nil, fmt.Errorf("%w: %w", wc.ErrBadRequest, err)
			}
			return nil, fmt.Errorf("%w: %w", wc.ErrInternal, err)
		}
	}
	switch {
	case u.Avatar == nil && !u.RemoveAvatar:
	case len(u.Avatar) == 0:
		if err := p.DeleteProfilePicture(ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", wc.ErrInternal, err)
		}
	default:
		if _, err := p.SetProfilePicture(ctx, u.Avatar); err != nil {
			return nil, avatarError(err)
		}
	}
	return []wc.WireMessage{wc.NewConfirmActionReply(m, nil)}, nil
}

// avatarError maps a refused image to invalidAvatar, anything else to
// internalError.
func avatarError(err error) error {
	if errors.Is(err, phone.ErrImage) || errors.Is(err, phone.ErrTooLarge) {
		return fmt.Errorf("%w: %w", wc.ErrInvalidAvatar, err)
	}
	return fmt.Errorf("%w: %w", wc.ErrInternal, err)
}

// avatarPush is what the desktop gets when the avatar of key changed: the
// own profile as update/profile, or update/avatar with the low-resolution
// (48 px) avatar of a contact or group, without data once it is removed.
func (s *Session) avatarPush(ctx context.Context, key string) ([]wc.WireMessage, error) {
	if key == store.OwnAvatarKey {
		pr, err := s.profile(ctx)
		if err != nil {
			return nil, err
		}
		return []wc.WireMessage{wc.NewProfileUpdateFromApp(pr)}, nil
	}
	r, ok := receiverOf(key)
	if !ok {
		return nil, nil
	}
	img, err := s.avatarImage(ctx, key, wc.AvatarLowResPx)
	if err != nil {
		return nil, err
	}
	return []wc.WireMessage{wc.NewAvatarUpdate(wc.Avatar{Receiver: r, Image: img})}, nil
}
