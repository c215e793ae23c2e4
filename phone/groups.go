package phone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

// Groups lists the groups the phone knows.
func (p *Phone) Groups(ctx context.Context) ([]store.Group, error) { return p.st.Groups(ctx) }

// Group returns one group.
func (p *Phone) Group(ctx context.Context, creator string, id uint64) (store.Group, error) {
	return p.st.Group(ctx, creator, id)
}

// groupReceivers are the contacts a group message goes to: the creator and
// the members, without self.
func (p *Phone) groupReceivers(ctx context.Context, g store.Group) ([]store.Contact, error) {
	ids := append([]string{g.Creator}, g.Members...)
	var out []store.Contact
	seen := map[string]bool{p.self.ID: true}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := p.ensureContact(ctx, id)
		if err != nil {
			return nil, err
		}
		if c.State == store.ContactRevoked {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// normalizeMembers validates, deduplicates and sorts member IDs, dropping self and the creator.
func (p *Phone) normalizeMembers(members []string, creator string) ([]string, error) {
	var out []string
	for _, m := range members {
		if _, err := csp.ParseID(m); err != nil {
			return nil, fmt.Errorf("%w: member: %w", ErrInvalid, err)
		}
		if m != creator && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ownGroup returns a group the phone created.
func (p *Phone) ownGroup(ctx context.Context, id uint64) (store.Group, error) {
	g, err := p.st.Group(ctx, p.self.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Group{}, fmt.Errorf("phone: group: %w", ErrNotCreator)
	}
	return g, err
}

// sendSetup sends the group's setup (and name) to the given contacts; a
// removed member gets a setup without itself.
func (p *Phone) sendSetup(ctx context.Context, g store.Group, to []store.Contact, withName bool) error {
	members := make([]csp.ID, 0, len(g.Members))
	for _, m := range g.Members {
		id, err := csp.ParseID(m)
		if err != nil {
			return err
		}
		members = append(members, id)
	}
	for _, c := range to {
		setup := e2e.GroupSetup{GroupID: g.ID, Members: members}
		if !slices.Contains(g.Members, c.ID) {
			setup.Members = nil
		}
		if err := p.sendControl(ctx, c, setup); err != nil {
			return err
		}
		if withName && setup.Members != nil {
			if err := p.sendControl(ctx, c, e2e.GroupName{GroupID: g.ID, Name: g.Name}); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateGroup creates a group with self as creator, sends the setup and
// name to every member and returns the group.
func (p *Phone) CreateGroup(ctx context.Context, name string, members []string) (store.Group, error) {
	ms, err := p.normalizeMembers(members, p.self.ID)
	if err != nil {
		return store.Group{}, err
	}
	id, err := p.newMessageID()
	if err != nil {
		return store.Group{}, err
	}
	g := store.Group{Creator: p.self.ID, ID: id, Name: name, Members: ms, CreatedAt: p.opts.now()}
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return store.Group{}, err
	}
	if err := p.st.PutGroup(ctx, g); err != nil {
		return store.Group{}, fmt.Errorf("phone: create group: %w", err)
	}
	if err := p.sendSetup(ctx, g, to, true); err != nil {
		return store.Group{}, err
	}
	p.emit(Event{Kind: EventGroup, Conversation: g.Key(), Group: &g})
	return g, nil
}

// RenameGroup renames a group the phone created.
func (p *Phone) RenameGroup(ctx context.Context, id uint64, name string) error {
	g, err := p.ownGroup(ctx, id)
	if err != nil {
		return err
	}
	g.Name = name
	if err := p.st.PutGroup(ctx, g); err != nil {
		return fmt.Errorf("phone: rename group: %w", err)
	}
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return err
	}
	for _, c := range to {
		if err := p.sendControl(ctx, c, e2e.GroupName{GroupID: g.ID, Name: name}); err != nil {
			return err
		}
	}
	p.emit(Event{Kind: EventGroup, Conversation: g.Key(), Group: &g})
	return nil
}

// SetGroupMembers replaces the members of a group the phone created: every
// old and new member gets the new setup (new members also the name), so a
// removed member learns it was removed.
func (p *Phone) SetGroupMembers(ctx context.Context, id uint64, members []string) error {
	g, err := p.ownGroup(ctx, id)
	if err != nil {
		return err
	}
	ms, err := p.normalizeMembers(members, p.self.ID)
	if err != nil {
		return err
	}
	old := g
	g.Members = ms
	if err := p.st.PutGroup(ctx, g); err != nil {
		return fmt.Errorf("phone: group members: %w", err)
	}
	union := old
	union.Members = append(slices.Clone(old.Members), ms...)
	to, err := p.groupReceivers(ctx, union)
	if err != nil {
		return err
	}
	if err := p.sendSetup(ctx, g, to, true); err != nil {
		return err
	}
	p.emit(Event{Kind: EventGroup, Conversation: g.Key(), Group: &g})
	return nil
}

// AddGroupMembers adds members to a group the phone created.
func (p *Phone) AddGroupMembers(ctx context.Context, id uint64, members ...string) error {
	g, err := p.ownGroup(ctx, id)
	if err != nil {
		return err
	}
	return p.SetGroupMembers(ctx, id, append(g.Members, members...))
}

// RemoveGroupMembers removes members from a group the phone created.
func (p *Phone) RemoveGroupMembers(ctx context.Context, id uint64, members ...string) error {
	g, err := p.ownGroup(ctx, id)
	if err != nil {
		return err
	}
	keep := slices.DeleteFunc(slices.Clone(g.Members), func(m string) bool { return slices.Contains(members, m) })
	return p.SetGroupMembers(ctx, id, keep)
}

// LeaveGroup leaves a group created by someone else: every other member
// gets a group-leave. A creator cannot leave its own group (DissolveGroup
// ends it).
func (p *Phone) LeaveGroup(ctx context.Context, creator string, id uint64) error {
	if creator == p.self.ID {
		return fmt.Errorf("phone: leave group: %w", ErrNotCreator)
	}
	g, err := p.memberGroup(ctx, creator, id)
	if err != nil {
		return err
	}
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return err
	}
	cid, err := csp.ParseID(creator)
	if err != nil {
		return err
	}
	for _, c := range to {
		if err := p.sendControl(ctx, c, e2e.GroupLeave{Group: e2e.Group{Creator: cid, ID: id}}); err != nil {
			return err
		}
	}
	g.Left = true
	g.Members = slices.DeleteFunc(g.Members, func(m string) bool { return m == p.self.ID })
	if err := p.st.PutGroup(ctx, g); err != nil {
		return fmt.Errorf("phone: leave group: %w", err)
	}
	p.emit(Event{Kind: EventGroup, Conversation: g.Key(), Group: &g})
	return nil
}

// DissolveGroup ends a group the phone created, as the Threema apps do when
// its creator leaves it: every member gets a group-setup without members
// (their apps show the group as ended) and the group stays here, left. A
// group already left is left alone.
func (p *Phone) DissolveGroup(ctx context.Context, id uint64) error {
	g, err := p.ownGroup(ctx, id)
	if err != nil || g.Left {
		return err
	}
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return err
	}
	g.Members, g.Left = nil, true
	if err := p.sendSetup(ctx, g, to, false); err != nil {
		return err
	}
	if err := p.st.PutGroup(ctx, g); err != nil {
		return fmt.Errorf("phone: dissolve group: %w", err)
	}
	p.emit(Event{Kind: EventGroup, Conversation: g.Key(), Group: &g})
	return nil
}

// DeleteGroup deletes a group from this phone with its conversation and
// picture. A group it is still in is first dissolved (its own) or left
// (someone else's), as the Android app does.
func (p *Phone) DeleteGroup(ctx context.Context, creator string, id uint64) error {
	g, err := p.st.Group(ctx, creator, id)
	if err != nil {
		return fmt.Errorf("phone: delete group: %w", err)
	}
	if !g.Left {
		if creator == p.self.ID {
			err = p.DissolveGroup(ctx, id)
		} else {
			err = p.LeaveGroup(ctx, creator, id)
		}
		if err != nil {
			return err
		}
	}
	if err := p.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteGroup(ctx, creator, id) }); err != nil {
		return fmt.Errorf("phone: delete group: %w", err)
	}
	return nil
}

// RequestGroupSync asks a group's creator for its current setup and name.
func (p *Phone) RequestGroupSync(ctx context.Context, creator string, id uint64) error {
	c, err := p.ensureContact(ctx, creator)
	if err != nil {
		return err
	}
	return p.sendControl(ctx, c, e2e.GroupSyncRequest{GroupID: id})
}

// memberGroup returns a group the phone is a member of.
func (p *Phone) memberGroup(ctx context.Context, creator string, id uint64) (store.Group, error) {
	g, err := p.st.Group(ctx, creator, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && g.Left) {
		return store.Group{}, fmt.Errorf("phone: group: %w", ErrNotMember)
	}
	return g, err
}

// sendGroup sends one piece of user content to every member of a group,
// with one message id, and stores it once in the group's conversation.
func (p *Phone) sendGroup(ctx context.Context, creator string, id uint64, build func(e2e.Group) e2e.Message, rec store.Message) (store.Message, error) {
	g, err := p.memberGroup(ctx, creator, id)
	if err != nil {
		return store.Message{}, err
	}
	cid, err := csp.ParseID(creator)
	if err != nil {
		return store.Message{}, err
	}
	m := build(e2e.Group{Creator: cid, ID: id})
	if _, err := e2e.Encode(m); err != nil {
		return store.Message{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	to, err := p.groupReceivers(ctx, g)
	if err != nil {
		return store.Message{}, err
	}
	mid, err := p.newMessageID()
	if err != nil {
		return store.Message{}, err
	}
	outs := make([]outMsg, len(to))
	for i, c := range to {
		outs[i] = outMsg{to: c, msg: m}
	}
	rec.Conversation, rec.Type = g.Key(), m.Type()
	return p.queue(ctx, mid, outs, &rec, store.KindGroup)
}

// SendGroupText sends a text to a group.
func (p *Phone) SendGroupText(ctx context.Context, creator string, id uint64, text string) (store.Message, error) {
	return p.sendGroup(ctx, creator, id, func(g e2e.Group) e2e.Message { return e2e.GroupText{Group: g, Text: text} },
		store.Message{Body: text})
}

// SendGroupLocation sends a location to a group.
func (p *Phone) SendGroupLocation(ctx context.Context, creator string, id uint64, loc e2e.Location) (store.Message, error) {
	extra, err := json.Marshal(loc)
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: location: %w", err)
	}
	return p.sendGroup(ctx, creator, id, func(g e2e.Group) e2e.Message { return e2e.GroupLocation{Group: g, Location: loc} },
		store.Message{Body: locationText(loc), Extra: string(extra)})
}

// SendGroupFile uploads a file and sends it to a group.
func (p *Phone) SendGroupFile(ctx context.Context, creator string, id uint64, in FileInput) (store.Message, error) {
	if _, err := p.memberGroup(ctx, creator, id); err != nil {
		return store.Message{}, err
	}
	f, err := p.uploadFile(ctx, in)
	if err != nil {
		return store.Message{}, err
	}
	extra, err := json.Marshal(fileInfoOf(f))
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: file: %w", err)
	}
	msg, err := p.sendGroup(ctx, creator, id, func(g e2e.Group) e2e.Message { return e2e.GroupFile{Group: g, File: f} },
		store.Message{Body: f.Caption, Extra: string(extra)})
	if err == nil {
		p.keepFile(ctx, msg.Seq, in.Data)
	}
	return msg, err
}
