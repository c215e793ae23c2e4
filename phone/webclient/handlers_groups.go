package webclient

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// groupError maps a phone error about a group to its wire code.
func groupError(err error) error {
	switch {
	case errors.Is(err, phone.ErrNotCreator):
		return fmt.Errorf("%w: %w", wc.ErrNotAllowed, err)
	case errors.Is(err, phone.ErrNotMember):
		return fmt.Errorf("%w: %w", wc.ErrAlreadyLeft, err)
	case errors.Is(err, phone.ErrUnknownIdentity), errors.Is(err, phone.ErrRevoked), errors.Is(err, phone.ErrSelf):
		return fmt.Errorf("%w: %w", wc.ErrInvalidIdentity, err)
	case errors.Is(err, phone.ErrInvalid):
		return fmt.Errorf("%w: %w", wc.ErrNoMembers, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", wc.ErrInvalidGroup, err)
	}
	return err
}

// groupReply is the reply to create/ or update/group with the group as stored now.
func (s *Session) groupReply(ctx context.Context, m wc.WireMessage, creator string, id uint64) ([]wc.WireMessage, error) {
	g, err := s.srv.p.Group(ctx, creator, id)
	if err != nil {
		return nil, groupError(err)
	}
	obj := groupOf(g, s.srv.p.ID())
	return []wc.WireMessage{wc.NewGroupResult(m, &obj, nil)}, nil
}

// handleGroupCreate creates a group with the phone as creator, with its
// photo when data.avatar is set; the phone's group event pushes
// update/receiver.
func (s *Session) handleGroupCreate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	c, ok := v.(wc.GroupCreate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	if len(c.Avatar) > 0 {
		if _, err := phone.NormalizeAvatar(c.Avatar); err != nil {
			return nil, avatarError(err) // checked first: no group without its photo
		}
	}
	g, err := s.srv.p.CreateGroup(ctx, c.Name, c.Members)
	if err != nil {
		return nil, groupError(err)
	}
	if len(c.Avatar) > 0 {
		if _, err := s.srv.p.SetGroupPhoto(ctx, g.ID, c.Avatar); err != nil {
			return nil, avatarError(err)
		}
	}
	return s.groupReply(ctx, m, g.Creator, g.ID)
}

// handleGroupUpdate renames a group the phone created, replaces its members
// (only what changed is sent to the members) and sets or removes its photo.
func (s *Session) handleGroupUpdate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	u, ok := v.(wc.GroupUpdate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	g, err := s.group(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	p := s.srv.p
	if g.Creator != p.ID() {
		return nil, wc.ErrNotAllowed
	}
	if g.Left {
		return nil, wc.ErrAlreadyLeft
	}
	if len(u.Avatar) > 0 {
		if _, err := phone.NormalizeAvatar(u.Avatar); err != nil {
			return nil, avatarError(err) // checked before anything changes
		}
	}
	// data.name is optional: only a name that is present renames the group.
	if d, _ := m.Data.(map[string]any); d != nil && d["name"] != nil && u.Name != g.Name {
		if err := p.RenameGroup(ctx, g.ID, u.Name); err != nil {
			return nil, groupError(err)
		}
	}
	want := slices.DeleteFunc(slices.Clone(u.Members), func(id string) bool { return id == p.ID() })
	slices.Sort(want)
	have := slices.Sorted(slices.Values(g.Members))
	if !slices.Equal(slices.Compact(want), have) {
		if len(want) == 0 {
			return nil, wc.ErrNoMembers
		}
		if err := p.SetGroupMembers(ctx, g.ID, want); err != nil {
			return nil, groupError(err)
		}
	}
	// data.avatar: new bytes set the photo, empty bytes remove it.
	switch {
	case u.Avatar == nil:
	case len(u.Avatar) == 0:
		if err := p.DeleteGroupPhoto(ctx, g.ID); err != nil {
			return nil, groupError(err)
		}
	default:
		if _, err := p.SetGroupPhoto(ctx, g.ID, u.Avatar); err != nil {
			return nil, avatarError(err)
		}
	}
	return s.groupReply(ctx, m, g.Creator, g.ID)
}

// handleGroupDelete is delete/group, as the Android app's DeleteGroupHandler
// does it: deleteType leave leaves someone else's group and dissolves the
// phone's own (every member sees it ended; it stays here, left); delete
// does that first if still needed and then deletes the group from the
// phone with its conversation, pushing the receiver as removed.
func (s *Session) handleGroupDelete(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	d, ok := v.(wc.GroupDelete)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	g, err := s.group(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	p := s.srv.p
	switch {
	case d.DeleteType == wc.DeleteLeave && g.Left:
		return nil, wc.ErrAlreadyLeft
	case d.DeleteType == wc.DeleteLeave && g.Creator == p.ID():
		err = p.DissolveGroup(ctx, g.ID)
	case d.DeleteType == wc.DeleteLeave:
		err = p.LeaveGroup(ctx, g.Creator, g.ID)
	default:
		if err := p.DeleteGroup(ctx, g.Creator, g.ID); err != nil {
			return nil, groupError(err)
		}
		return []wc.WireMessage{
			wc.NewConfirmActionReply(m, nil),
			wc.NewReceiverUpdate(wc.ReceiverUpdate{Receiver: wc.Receiver{Type: wc.ReceiverGroup, ID: d.ID}, Mode: wc.ModeRemoved}),
		}, nil
	}
	if err != nil {
		return nil, groupError(err)
	}
	return []wc.WireMessage{wc.NewConfirmActionReply(m, nil)}, nil
}

// handleGroupSync asks the creator of a group for its current setup; for a
// group the phone created it re-sends the setup to every member. A failure
// and success are answered with response/confirmAction, as the Android app does.
func (s *Session) handleGroupSync(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.GroupSync)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	g, err := s.group(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	p := s.srv.p
	if g.Creator == p.ID() {
		// The phone is the creator: re-send the setup to every member instead.
		err = p.SetGroupMembers(ctx, g.ID, g.Members)
	} else {
		err = p.RequestGroupSync(ctx, g.Creator, g.ID)
	}
	if err != nil {
		return nil, groupError(err)
	}
	return []wc.WireMessage{wc.NewConfirmActionReply(m, nil)}, nil
}
