package phone

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
)

// AddContact adds an identity as a contact with its key from the directory
// (verification level 1). An existing contact is returned unchanged.
func (p *Phone) AddContact(ctx context.Context, id string) (store.Contact, error) {
	if _, err := csp.ParseID(id); err != nil {
		return store.Contact{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return p.ensureContact(ctx, id)
}

// Contacts lists the contacts.
func (p *Phone) Contacts(ctx context.Context) ([]store.Contact, error) {
	return p.st.Contacts(ctx)
}

// updateContact applies f to a stored contact and announces the change.
func (p *Phone) updateContact(ctx context.Context, id string, f func(*store.Contact) error) (store.Contact, error) {
	var c store.Contact
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.Contact(ctx, id); err != nil {
			return err
		}
		if err := f(&c); err != nil {
			return err
		}
		if err := tx.PutContact(ctx, c); err != nil {
			return err
		}
		c, err = tx.Contact(ctx, id)
		return err
	})
	if err != nil {
		return store.Contact{}, fmt.Errorf("phone: update contact %s: %w", id, err)
	}
	p.emit(Event{Kind: EventContact, Peer: id, Contact: &c})
	return c, nil
}

// SetContactName sets the name the user gives a contact.
func (p *Phone) SetContactName(ctx context.Context, id, name string) (store.Contact, error) {
	return p.updateContact(ctx, id, func(c *store.Contact) error { c.Name = name; return nil })
}

// BlockContact blocks (or unblocks) a contact: its messages are dropped.
func (p *Phone) BlockContact(ctx context.Context, id string, blocked bool) (store.Contact, error) {
	return p.updateContact(ctx, id, func(c *store.Contact) error { c.Blocked = blocked; return nil })
}

// VerifyContact raises a contact to verification level 3 after the user
// compared fingerprint (Fingerprint of the contact's key, as shown on the
// peer's phone) in person. A mismatch is ErrFingerprint.
func (p *Phone) VerifyContact(ctx context.Context, id, fingerprint string) (store.Contact, error) {
	return p.updateContact(ctx, id, func(c *store.Contact) error {
		want := Fingerprint(c.PublicKey)
		got := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(fingerprint), " ", ""))
		if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
			return ErrFingerprint
		}
		c.Verification = store.VerificationInPerson
		return nil
	})
}

// RefreshContacts asks the directory for the state and feature mask of every
// contact and marks revoked identities (directory state 2, or unknown).
func (p *Phone) RefreshContacts(ctx context.Context) error {
	cs, err := p.st.Contacts(ctx)
	if err != nil || len(cs) == 0 {
		return err
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	res, err := p.dirc.Check(ctx, ids)
	if err != nil {
		return fmt.Errorf("phone: refresh contacts: %w", err)
	}
	for i, st := range res.Identities {
		if i >= len(cs) || st.ID != cs[i].ID {
			continue
		}
		c := cs[i]
		newState := store.ContactState(st.State)
		if c.State == newState && c.FeatureMask == st.FeatureMask {
			continue
		}
		if _, err := p.updateContact(ctx, c.ID, func(c *store.Contact) error {
			c.State = newState
			if newState != store.ContactRevoked {
				c.FeatureMask = st.FeatureMask
			}
			return nil
		}); err != nil {
			return err
		}
		if newState == store.ContactRevoked {
			p.log.Info("contact revoked", "peer", c.ID)
		}
	}
	return nil
}

// DiscoverContacts finds the identities linked to e-mail addresses and phone
// numbers (E.164) through the directory's hashed contact matching
// (identity/match); only the HMAC hashes leave the phone. New matches become
// contacts at verification level 2; existing level-1 contacts are raised to 2.
func (p *Phone) DiscoverContacts(ctx context.Context, emails, phones []string) ([]store.Contact, error) {
	var eh, ph [][]byte
	for _, e := range emails {
		eh = append(eh, directory.HashEmail(e)...)
	}
	for _, n := range phones {
		if h := directory.HashPhone(n); h != nil {
			ph = append(ph, h)
		}
	}
	if len(eh)+len(ph) == 0 {
		return nil, nil
	}
	res, err := p.dirc.Match(ctx, eh, ph)
	if err != nil {
		return nil, fmt.Errorf("phone: discover contacts: %w", err)
	}
	var out []store.Contact
	for _, m := range res.Matches {
		if m.ID == p.self.ID {
			continue
		}
		c, err := p.st.Contact(ctx, m.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			d, err := p.dirc.LookupIdentity(ctx, m.ID)
			if err != nil {
				return nil, fmt.Errorf("phone: discover contacts: %w", err)
			}
			if !d.PublicKey.Equal(m.PublicKey) {
				continue
			}
			c = contactFromDirectory(d, store.VerificationMatched)
			if err := p.st.PutContact(ctx, c); err != nil {
				return nil, fmt.Errorf("phone: discover contacts: %w", err)
			}
			if c, err = p.st.Contact(ctx, m.ID); err != nil {
				return nil, fmt.Errorf("phone: discover contacts: %w", err)
			}
			p.emit(Event{Kind: EventContact, Peer: c.ID, Contact: &c})
		case err != nil:
			return nil, fmt.Errorf("phone: discover contacts: %w", err)
		case c.Verification < store.VerificationMatched && c.PublicKey.Equal(m.PublicKey):
			if c, err = p.updateContact(ctx, c.ID, func(c *store.Contact) error {
				c.Verification = store.VerificationMatched
				return nil
			}); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// LinkEmail links an e-mail address to the own identity so that others can
// discover it (the directory keeps only the hash).
func (p *Phone) LinkEmail(ctx context.Context, email string) error {
	if err := p.dirc.LinkEmail(ctx, p.self.ID, p.self.Key, email); err != nil {
		return fmt.Errorf("phone: link e-mail: %w", err)
	}
	return nil
}

// LinkPhone links a phone number (E.164) to the own identity.
func (p *Phone) LinkPhone(ctx context.Context, e164 string) error {
	if err := p.dirc.LinkMobile(ctx, p.self.ID, p.self.Key, e164); err != nil {
		return fmt.Errorf("phone: link phone: %w", err)
	}
	return nil
}
