package webclient

import "fmt"

// Profile is response/profile and the app's update/profile (WEB threema.d.ts
// Profile): data {identity, publicKey, publicNickname?, avatar?}. The Android
// app's update/profile carries only {publicNickname, avatar?}, where a nil
// avatar means it was removed (AvatarRemoved); Identity and PublicKey are
// then empty and the receiver keeps what it had.
type Profile struct {
	Identity       string
	PublicKey      []byte // 32 bytes
	PublicNickname string
	Avatar         []byte
	AvatarRemoved  bool
}

func (p Profile) data() map[string]any {
	d := set{"identity": p.Identity, "publicKey": p.PublicKey}
	d.maybeStr("publicNickname", p.PublicNickname)
	d.maybeBin("avatar", p.Avatar)
	return d
}

// NewProfile builds response/profile answering req.
func NewProfile(req WireMessage, p Profile) WireMessage {
	return Reply(req, TypeResponse, SubProfile, nil, p.data(), nil)
}

// NewProfileUpdateFromApp builds the app's update/profile.
func NewProfileUpdateFromApp(p Profile) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubProfile, Data: p.data()}
}

// DecodeProfile decodes response/profile or the app's update/profile.
func DecodeProfile(m WireMessage) (Profile, error) {
	if err := expectTypes(m, SubProfile, TypeResponse, TypeUpdate); err != nil {
		return Profile{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return Profile{}, fmt.Errorf("webclient: profile: %w", err)
	}
	full := m.Type == TypeResponse // the app's update/profile may carry only what changed
	p := Profile{Identity: d.str("identity", full, 8), PublicKey: d.bin("publicKey", full, 32),
		PublicNickname: d.str("publicNickname", false, MaxNicknameBytes), Avatar: d.bin("avatar", false, MaxAvatarBytes),
		AvatarRemoved: d.isNil("avatar")}
	if d.err != nil {
		return Profile{}, fmt.Errorf("webclient: profile: %w", d.err)
	}
	if (full || p.Identity != "") && !ValidIdentity(p.Identity) {
		return Profile{}, fmt.Errorf("%w: profile identity", ErrField)
	}
	if (full || p.PublicKey != nil) && len(p.PublicKey) != 32 {
		return Profile{}, fmt.Errorf("%w: profile public key", ErrField)
	}
	return p, nil
}

// ProfileUpdate is the web's update/profile: data {publicNickname?, avatar?}.
// A nil field is unchanged; an empty nickname clears it. The nickname is at
// most 32 bytes (§2.4 Limits).
type ProfileUpdate struct {
	PublicNickname *string
	Avatar         []byte
	// RemoveAvatar: avatar was sent as nil, which Threema Web sends to
	// delete the picture.
	RemoveAvatar bool
}

// NewProfileUpdate builds the web's update/profile.
func NewProfileUpdate(id string, u ProfileUpdate) WireMessage {
	d := set{}
	if u.PublicNickname != nil {
		d["publicNickname"] = *u.PublicNickname
	}
	d.maybeBin("avatar", u.Avatar)
	if u.RemoveAvatar && u.Avatar == nil {
		d["avatar"] = nil
	}
	return WireMessage{Type: TypeUpdate, SubType: SubProfile, ID: id, Data: map[string]any(d)}
}

// DecodeProfileUpdate decodes the web's update/profile.
func DecodeProfileUpdate(m WireMessage) (ProfileUpdate, error) {
	if err := expect(m, TypeUpdate, SubProfile); err != nil {
		return ProfileUpdate{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return ProfileUpdate{}, fmt.Errorf("webclient: profile update: %w", err)
	}
	u := ProfileUpdate{PublicNickname: d.optStr("publicNickname", MaxNicknameBytes), Avatar: d.bin("avatar", false, MaxAvatarBytes),
		RemoveAvatar: d.isNil("avatar")}
	if d.err != nil {
		return ProfileUpdate{}, fmt.Errorf("webclient: profile update: %w", d.err)
	}
	return u, nil
}
