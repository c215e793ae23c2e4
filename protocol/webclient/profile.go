package webclient

import "fmt"

// Profile is response/profile and the app's update/profile (WEB threema.d.ts
// Profile): data {identity, publicKey, publicNickname?, avatar?}.
type Profile struct {
	Identity       string
	PublicKey      []byte // 32 bytes
	PublicNickname string
	Avatar         []byte
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
	p := Profile{Identity: d.str("identity", true, 8), PublicKey: d.bin("publicKey", true, 32),
		PublicNickname: d.str("publicNickname", false, MaxNicknameBytes), Avatar: d.bin("avatar", false, MaxAvatarBytes)}
	if d.err != nil {
		return Profile{}, fmt.Errorf("webclient: profile: %w", d.err)
	}
	if !ValidIdentity(p.Identity) || len(p.PublicKey) != 32 {
		return Profile{}, fmt.Errorf("%w: profile identity or public key", ErrField)
	}
	return p, nil
}

// ProfileUpdate is the web's update/profile: data {publicNickname?, avatar?}.
// A nil field is unchanged; an empty nickname clears it. The nickname is at
// most 32 bytes (§2.4 Limits).
type ProfileUpdate struct {
	PublicNickname *string
	Avatar         []byte
}

// NewProfileUpdate builds the web's update/profile.
func NewProfileUpdate(id string, u ProfileUpdate) WireMessage {
	d := set{}
	if u.PublicNickname != nil {
		d["publicNickname"] = *u.PublicNickname
	}
	d.maybeBin("avatar", u.Avatar)
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
	u := ProfileUpdate{PublicNickname: d.optStr("publicNickname", MaxNicknameBytes), Avatar: d.bin("avatar", false, MaxAvatarBytes)}
	if d.err != nil {
		return ProfileUpdate{}, fmt.Errorf("webclient: profile update: %w", d.err)
	}
	return u, nil
}
