package phone

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/directory"
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

// MaxNameBytes bounds each part of the name the user gives a contact (§2.4
// Limits: first name, last name).
const MaxNameBytes = 256

// SetContactName sets the name the user gives a contact, in two parts as
// the Threema apps keep it. Spaces around each part are dropped; two empty
// parts clear the name, and the contact is shown by its nickname or ID
// again (store.Contact.DisplayName). A part of more than MaxNameBytes, not
// UTF-8 or with control characters is ErrInvalid.
func (p *Phone) SetContactName(ctx context.Context, id, first, last string) (store.Contact, error) {
	return p.RenameContact(ctx, id, &first, &last)
}

// RenameContact changes the name the user gives a contact part by part: a
// nil part stays as it is, an empty one is cleared; otherwise as
// SetContactName.
func (p *Phone) RenameContact(ctx context.Context, id string, first, last *string) (store.Contact, error) {
	parts := [2]*string{first, last}
	for i, n := range parts {
		if n == nil {
			continue
		}
		trimmed := strings.TrimSpace(*n)
		if err := validName(trimmed); err != nil {
			return store.Contact{}, fmt.Errorf("phone: name contact %s: %w", id, err)
		}
		parts[i] = &trimmed
	}
	c, err := p.updateContact(ctx, id, func(c *store.Contact) error {
		for i, dst := range [2]*string{&c.FirstName, &c.LastName} {
			if parts[i] != nil {
				*dst = *parts[i]
			}
		}
		return nil
	})
	if err == nil {
		p.log.Info("contact named", "peer", id) // not the name: it is the user's data
	}
	return c, err
}

// validName checks one part of a contact's name.
func validName(s string) error {
	if len(s) > MaxNameBytes || !utf8.ValidString(s) {
		return fmt.Errorf("%w: a name has at most %d bytes of UTF-8", ErrInvalid, MaxNameBytes)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w: a name has no control characters", ErrInvalid)
	}
	return nil
}

// cleanNickname makes the nickname a contact sends fit to show: control
// characters and surrounding spaces removed, cut to MaxNicknameBytes on a
// character boundary (a longer one would not fit the Web protocol's field).
func cleanNickname(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "")))
	for len(s) > MaxNicknameBytes {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return strings.TrimSpace(s)
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

// directoryBatch bounds the identities of one directory request.
const directoryBatch = 100

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
	var res dirclient.CheckResult
	// In batches well under the directory's lookup budget per request
	// (200 identities at once by default): one larger request is refused.
	for start := 0; start < len(ids); start += directoryBatch {
		part, err := p.dirc.Check(ctx, ids[start:min(start+directoryBatch, len(ids))])
		if err != nil {
			return fmt.Errorf("phone: refresh contacts: %w", err)
		}
		res.Identities = append(res.Identities, part.Identities...)
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
