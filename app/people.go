package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/kurier/kurier/app/phonelink"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// Limits on what the UI may ask of PeopleService.
const (
	maxNameBytes    = 256
	maxMembers      = 256
	maxNicknameByte = 32
)

// PeopleService is bound to the UI: contacts, groups, distribution lists and
// the user's profile. Changes go to the phone; the cache follows its updates.
type PeopleService struct {
	ses *session
}

// Receivers returns every cached contact, group and distribution list.
func (p *PeopleService) Receivers() (Receivers, error) {
	p.ses.mu.Lock()
	defer p.ses.mu.Unlock()
	return p.ses.receivers, nil
}

// request sends m to the phone and refreshes the receivers afterwards.
func (p *PeopleService) request(m wc.WireMessage) (wc.WireMessage, error) {
	conn, err := p.ses.current()
	if err != nil {
		return wc.WireMessage{}, err
	}
	ctx, cancel := context.WithTimeout(p.ses.ctx, requestTimeout)
	defer cancel()
	reply, err := conn.Request(ctx, m)
	if err != nil {
		return reply, err
	}
	if err := p.refresh(ctx, conn); err != nil {
		p.ses.log.Warn("receivers not refreshed", "err", err)
	}
	return reply, nil
}

func (p *PeopleService) refresh(ctx context.Context, conn *phonelink.Conn) error {
	if err := p.ses.syncReceivers(ctx, conn); err != nil {
		return err
	}
	return p.ses.renameConversations(ctx)
}

// AddContact adds a contact by Threema ID (the phone fetches its key).
func (p *PeopleService) AddContact(identity string) (Contact, error) {
	identity = strings.ToUpper(strings.TrimSpace(identity))
	if !wc.ValidIdentity(identity) {
		return Contact{}, fmt.Errorf("%w: %q is not a Threema ID", ErrInvalid, identity)
	}
	reply, err := p.request(wc.NewContactCreate("", "", wc.ContactCreate{Identity: identity}))
	res, err := result("add contact", reply, err, wc.DecodeContactResult, func(r wc.ContactResult) wc.Result { return r.Result })
	if err != nil {
		return Contact{}, err
	}
	return contactOf(*res.Contact), nil
}

// RenameContact sets the name the user gives a contact, as a first and a
// last name (each at most 256 bytes; both empty: no name, and the contact
// shows as "~" and its nickname, or as its ID, again).
func (p *PeopleService) RenameContact(identity, firstName, lastName string) (Contact, error) {
	identity = strings.ToUpper(strings.TrimSpace(identity))
	if !wc.ValidIdentity(identity) {
		return Contact{}, fmt.Errorf("%w: %q is not a Threema ID", ErrInvalid, identity)
	}
	first, last := strings.TrimSpace(firstName), strings.TrimSpace(lastName)
	for _, n := range []string{first, last} {
		if len(n) > maxNameBytes || strings.IndexFunc(n, unicode.IsControl) >= 0 {
			return Contact{}, fmt.Errorf("%w: a first or last name has at most %d bytes and no control characters", ErrInvalid, maxNameBytes)
		}
	}
	reply, err := p.request(wc.NewContactUpdate("", "", wc.ContactUpdate{Identity: identity, FirstName: &first, LastName: &last}))
	res, err := result("rename contact", reply, err, wc.DecodeContactResult, func(r wc.ContactResult) wc.Result { return r.Result })
	if err != nil {
		return Contact{}, err
	}
	return contactOf(*res.Contact), nil
}

// result reads the reply to a create or update request: it decodes it and
// fails with the error code the phone reported.
func result[R any](what string, reply wc.WireMessage, err error, decode func(wc.WireMessage) (R, error), outcome func(R) wc.Result) (R, error) {
	var zero R
	if err != nil {
		return zero, err
	}
	r, err := decode(reply)
	if err != nil {
		return zero, fmt.Errorf("app: %s: %w", what, err)
	}
	if err := outcome(r).Err(); err != nil {
		return zero, fmt.Errorf("app: %s: %w", what, err)
	}
	return r, nil
}

func validMembers(members []string) ([]string, error) {
	if len(members) == 0 || len(members) > maxMembers {
		return nil, fmt.Errorf("%w: 1 to %d members", ErrInvalid, maxMembers)
	}
	out := make([]string, 0, len(members))
	for _, m := range members {
		m = strings.ToUpper(strings.TrimSpace(m))
		if !wc.ValidIdentity(m) {
			return nil, fmt.Errorf("%w: member %q is not a Threema ID", ErrInvalid, m)
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// validNameMembers checks the name and members of a group or list.
func validNameMembers(name string, members []string) (string, []string, error) {
	name, err := validName(name)
	if err != nil {
		return "", nil, err
	}
	ms, err := validMembers(members)
	return name, ms, err
}

func validName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > maxNameBytes {
		return "", fmt.Errorf("%w: a name needs 1 to %d bytes", ErrInvalid, maxNameBytes)
	}
	return name, nil
}

// CreateGroup creates a group with the user as its administrator.
func (p *PeopleService) CreateGroup(name string, members []string) (Group, error) {
	name, ms, err := validNameMembers(name, members)
	if err != nil {
		return Group{}, err
	}
	return groupResult(p.request(wc.NewGroupCreate("", "", wc.GroupCreate{Name: name, Members: ms})))
}

// UpdateGroup renames a group and sets its members.
func (p *PeopleService) UpdateGroup(id, name string, members []string) (Group, error) {
	name, ms, err := validNameMembers(name, members)
	if err != nil {
		return Group{}, err
	}
	return groupResult(p.request(wc.NewGroupUpdate("", "", wc.GroupUpdate{ID: id, GroupCreate: wc.GroupCreate{Name: name, Members: ms}})))
}

func groupResult(reply wc.WireMessage, err error) (Group, error) {
	res, err := result("group", reply, err, wc.DecodeGroupResult, func(r wc.GroupResult) wc.Result { return r.Result })
	if err != nil {
		return Group{}, err
	}
	return groupOf(*res.Group), nil
}

// LeaveGroup leaves a group; the user's own group it ends, for every
// member (the phone dissolves it, as Threema's apps do when its creator
// leaves). The group stays, left, until DeleteGroup.
func (p *PeopleService) LeaveGroup(id string) error {
	_, err := p.request(wc.NewGroupDelete("", "", wc.GroupDelete{ID: id, DeleteType: wc.DeleteLeave}))
	return err
}

// DeleteGroup deletes a group with its conversation from the phone and this
// computer, leaving (or ending) it first if still needed.
func (p *PeopleService) DeleteGroup(id string) error {
	_, err := p.request(wc.NewGroupDelete("", "", wc.GroupDelete{ID: id, DeleteType: wc.DeleteDelete}))
	return err
}

// CreateDistributionList creates a list that sends to each member separately.
func (p *PeopleService) CreateDistributionList(name string, members []string) (DistributionList, error) {
	name, ms, err := validNameMembers(name, members)
	if err != nil {
		return DistributionList{}, err
	}
	return listResult(p.request(wc.NewDistributionListCreate("", "", wc.DistributionListCreate{Name: name, Members: ms})))
}

func listResult(reply wc.WireMessage, err error) (DistributionList, error) {
	res, err := result("distribution list", reply, err, wc.DecodeDistributionListResult,
		func(r wc.DistributionListResult) wc.Result { return r.Result })
	if err != nil {
		return DistributionList{}, err
	}
	return listOf(*res.DistributionList), nil
}

// UpdateDistributionList renames a distribution list and sets its members.
func (p *PeopleService) UpdateDistributionList(id, name string, members []string) (DistributionList, error) {
	name, ms, err := validNameMembers(name, members)
	if err != nil {
		return DistributionList{}, err
	}
	return listResult(p.request(wc.NewDistributionListUpdate("", "", wc.DistributionListUpdate{ID: id,
		DistributionListCreate: wc.DistributionListCreate{Name: name, Members: ms}})))
}

// DeleteDistributionList deletes a distribution list and its conversation.
func (p *PeopleService) DeleteDistributionList(id string) error {
	reply, err := p.request(wc.NewDistributionListDelete("", "", wc.DistributionListDelete{ID: id}))
	_, err = result("delete distribution list", reply, err, wc.DecodeResult, func(r wc.Result) wc.Result { return r })
	return err
}

// maxAvatarBytes bounds a profile picture the UI sends (the phone scales it down).
const maxAvatarBytes = 5 << 20

// SetAvatar sets the profile picture others see (JPEG or PNG, base64); ""
// removes it. The phone checks and scales the image.
func (p *PeopleService) SetAvatar(image string) (Profile, error) {
	if image == "" {
		return p.updateProfile(wc.ProfileUpdate{RemoveAvatar: true}) // avatar nil, as Threema Web removes it
	}
	if base64.StdEncoding.DecodedLen(len(image)) > maxAvatarBytes+3 {
		return Profile{}, fmt.Errorf("%w: the picture is larger than %d bytes", ErrInvalid, maxAvatarBytes)
	}
	data, err := base64.StdEncoding.DecodeString(image)
	if err != nil || len(data) == 0 {
		return Profile{}, fmt.Errorf("%w: the picture is not base64", ErrInvalid)
	}
	return p.updateProfile(wc.ProfileUpdate{Avatar: data})
}

// updateProfile sends update/profile and then adopts the profile the phone
// has: the app answers update/profile with only a confirmation
// (response/confirmAction, as the Android app does), so the new profile is
// asked for.
func (p *PeopleService) updateProfile(u wc.ProfileUpdate) (Profile, error) {
	conn, err := p.ses.current()
	if err != nil {
		return Profile{}, err
	}
	ctx, cancel := context.WithTimeout(p.ses.ctx, requestTimeout)
	defer cancel()
	if _, err := conn.Request(ctx, wc.NewProfileUpdate("", u)); err != nil {
		return Profile{}, err
	}
	reply, err := conn.Request(ctx, wc.NewRequest(wc.SubProfile, ""))
	if err != nil {
		return Profile{}, err
	}
	wp, err := wc.DecodeProfile(reply)
	if err != nil {
		return Profile{}, fmt.Errorf("app: profile: %w", err)
	}
	prof := profileOf(wp)
	p.ses.mu.Lock()
	p.ses.profile = prof
	rs := p.ses.receivers
	p.ses.mu.Unlock()
	if err := p.ses.putReceivers(ctx, rs); err != nil {
		p.ses.log.Warn("profile not cached", "err", err)
	}
	p.ses.hub.Publish(EventProfileChanged, prof)
	return prof, nil
}

// SetNickname changes the public nickname others see.
func (p *PeopleService) SetNickname(nickname string) (Profile, error) {
	nickname = strings.TrimSpace(nickname)
	if len(nickname) > maxNicknameByte {
		return Profile{}, fmt.Errorf("%w: a nickname has at most %d bytes", ErrInvalid, maxNicknameByte)
	}
	return p.updateProfile(wc.ProfileUpdate{PublicNickname: &nickname})
}
