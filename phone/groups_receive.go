package phone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// applyGroup acts on a group message (§3.5 group rules) inside the batch's
// transaction.
func (p *Phone) applyGroup(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, m e2e.Message, at time.Time) error {
	switch m := m.(type) {
	case e2e.GroupSetup:
		return p.applySetup(ctx, tx, c, v, m)
	case e2e.GroupName:
		g, err := tx.Group(ctx, c.ID, m.GroupID)
		if errors.Is(err, store.ErrNotFound) {
			p.reject(v, RejectGroup, errors.New("name of an unknown group"))
			return nil
		}
		if err != nil {
			return err
		}
		g.Name = m.Name
		if err := tx.PutGroup(ctx, g); err != nil {
			return err
		}
		v.events = append(v.events, Event{Kind: EventGroup, Conversation: g.Key(), Peer: c.ID, Group: &g})
		return nil
	case e2e.GroupLeave:
		g, err := tx.Group(ctx, m.Group.Creator.String(), m.Group.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!slices.Contains(g.Members, c.ID) || c.ID == g.Creator)) {
			p.reject(v, RejectGroup, errors.New("leave from a non-member"))
			return nil
		}
		if err != nil {
			return err
		}
		g.Members = slices.DeleteFunc(g.Members, func(x string) bool { return x == c.ID })
		if err := tx.PutGroup(ctx, g); err != nil {
			return err
		}
		v.events = append(v.events, Event{Kind: EventGroup, Conversation: g.Key(), Peer: c.ID, Group: &g})
		return nil
	case e2e.GroupSyncRequest:
		g, err := tx.Group(ctx, p.self.ID, m.GroupID)
		if errors.Is(err, store.ErrNotFound) {
			p.reject(v, RejectGroup, errors.New("sync request for an unknown group"))
			return nil
		}
		if err != nil {
			return err
		}
		v.after = append(v.after, func(ctx context.Context) {
			if err := p.sendSetup(ctx, g, []store.Contact{c}, true); err != nil {
				p.log.Warn("group sync answer not sent", "peer", c.ID, "err", err)
			}
		})
		return nil
	case e2e.GroupDeliveryReceipt:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		for _, id := range m.MessageIDs {
			// An agree/decline may concern any member's message; the
			// user-ack state is kept for own messages only, as before.
			msg, err := tx.MessageInConversation(ctx, g.Key(), id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := p.applyLegacyReaction(ctx, tx, c, v, msg, m.Status, at); err != nil {
				return err
			}
			if !msg.Outgoing {
				continue
			}
			if err := tx.SetUserAck(ctx, msg.Seq, int(m.Status)); err != nil {
				return err
			}
			if msg, err = tx.MessageBySeq(ctx, msg.Seq); err != nil {
				return err
			}
			v.events = append(v.events, Event{Kind: EventMessageState, Conversation: g.Key(), Peer: c.ID, MessageID: id, Message: &msg, State: msg.State, UserAck: msg.UserAck})
		}
		return nil
	case e2e.GroupReaction:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		return p.applyReaction(ctx, tx, c, v, g.Key(), m.Reaction, at)
	case e2e.GroupEditMessage:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		return p.applyEdit(ctx, tx, c, v, g.Key(), m.Edit.MessageID, &m.Edit.Text)
	case e2e.GroupDeleteMessage:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		return p.applyEdit(ctx, tx, c, v, g.Key(), m.Delete.MessageID, nil)
	case e2e.GroupText:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		return p.storeIncoming(ctx, tx, v, store.KindGroup, store.Message{Conversation: g.Key(), Type: m.Type(), Body: m.Text, CreatedAt: at})
	case e2e.GroupLocation:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		extra, err := json.Marshal(m.Location)
		if err != nil {
			return err
		}
		return p.storeIncoming(ctx, tx, v, store.KindGroup, store.Message{Conversation: g.Key(), Type: m.Type(),
			Body: locationText(m.Location), Extra: string(extra), CreatedAt: at})
	case e2e.GroupFile:
		g, ok, err := p.groupForContent(ctx, tx, c, v, m.Group)
		if err != nil || !ok {
			return err
		}
		extra, err := json.Marshal(fileInfoOf(m.File))
		if err != nil {
			return err
		}
		return p.storeIncoming(ctx, tx, v, store.KindGroup, store.Message{Conversation: g.Key(), Type: m.Type(),
			Body: m.File.Caption, Extra: string(extra), CreatedAt: at})
	}
	p.reject(v, RejectUnsupported, fmt.Errorf("type 0x%02x not handled", m.Type()))
	return nil
}

// applySetup creates or updates a group from its creator's setup, or marks
// it left when self is no longer a member.
func (p *Phone) applySetup(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, m e2e.GroupSetup) error {
	members := make([]string, 0, len(m.Members))
	for _, id := range m.Members {
		if id.String() == c.ID {
			p.reject(v, RejectGroup, errors.New("creator listed as member"))
			return nil
		}
		members = append(members, id.String())
	}
	slices.Sort(members)
	g, err := tx.Group(ctx, c.ID, m.GroupID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		g = store.Group{Creator: c.ID, ID: m.GroupID, CreatedAt: p.opts.now()}
	case err != nil:
		return err
	}
	if slices.Contains(members, p.self.ID) {
		g.Members, g.Left = members, false
	} else {
		if errors.Is(err, store.ErrNotFound) {
			return nil // not a member of a group we never knew
		}
		g.Members, g.Left = nil, true
	}
	if err := tx.PutGroup(ctx, g); err != nil {
		return err
	}
	v.events = append(v.events, Event{Kind: EventGroup, Conversation: g.Key(), Peer: c.ID, Group: &g})
	return nil
}

// groupForContent checks that c may post to group gr: the group is known,
// self is still in it and c is its creator or a member. An unknown group
// makes the phone ask its creator for a sync.
func (p *Phone) groupForContent(ctx context.Context, tx *store.Tx, c store.Contact, v *verdict, gr e2e.Group) (store.Group, bool, error) {
	creator := gr.Creator.String()
	g, err := tx.Group(ctx, creator, gr.ID)
	if errors.Is(err, store.ErrNotFound) {
		p.reject(v, RejectGroup, errors.New("message for an unknown group"))
		if creator != p.self.ID {
			v.after = append(v.after, func(ctx context.Context) {
				if err := p.RequestGroupSync(ctx, creator, gr.ID); err != nil {
					p.log.Warn("group sync request not sent", "creator", creator, "err", err)
				}
			})
		}
		return store.Group{}, false, nil
	}
	if err != nil {
		return store.Group{}, false, err
	}
	if g.Left || (c.ID != g.Creator && !slices.Contains(g.Members, c.ID)) {
		p.reject(v, RejectGroup, errors.New("sender is not a member, or self left"))
		return store.Group{}, false, nil
	}
	return g, true, nil
}
