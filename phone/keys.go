package phone

import (
	"context"
	"errors"
	"fmt"

	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/directory"
	"github.com/kurier/kurier/protocol/e2e"
)

// peerKeys returns the cached E2E keys for a contact, deriving them (one
// X25519) the first time.
func (p *Phone) peerKeys(c store.Contact) (e2e.PeerKeys, error) {
	id, err := csp.ParseID(c.ID)
	if err != nil {
		return e2e.PeerKeys{}, fmt.Errorf("phone: peer keys: %w", err)
	}
	p.keysMu.Lock()
	defer p.keysMu.Unlock()
	if k, ok := p.keys[id]; ok {
		return k, nil
	}
	k, err := e2e.NewPeerKeys(p.id, p.self.Key.Secret, id, c.PublicKey)
	if err != nil {
		return e2e.PeerKeys{}, fmt.Errorf("phone: peer keys: %w", err)
	}
	p.keys[id] = k
	return k, nil
}

// contactFromDirectory turns a directory entry into a new contact.
func contactFromDirectory(d directory.Identity, level store.Verification) store.Contact {
	return store.Contact{
		ID: d.ID, PublicKey: d.PublicKey, Verification: level,
		State: store.ContactState(d.State), FeatureMask: d.FeatureMask,
	}
}

// ensureContact returns the contact id, fetching its key from the
// directory and storing it at level 1 when it is new.
func (p *Phone) ensureContact(ctx context.Context, id string) (store.Contact, error) {
	if id == p.self.ID {
		return store.Contact{}, ErrSelf
	}
	c, err := p.st.Contact(ctx, id)
	if err == nil {
		return c, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return store.Contact{}, fmt.Errorf("phone: contact: %w", err)
	}
	d, err := p.dirc.LookupIdentity(ctx, id)
	if errors.Is(err, dirclient.ErrNotFound) {
		return store.Contact{}, fmt.Errorf("phone: contact %s: %w", id, ErrUnknownIdentity)
	}
	if err != nil {
		return store.Contact{}, fmt.Errorf("phone: contact %s: %w", id, err)
	}
	c = contactFromDirectory(d, store.VerificationDirectory)
	if err := p.st.PutContact(ctx, c); err != nil {
		return store.Contact{}, fmt.Errorf("phone: contact: %w", err)
	}
	c, err = p.st.Contact(ctx, id)
	if err != nil {
		return store.Contact{}, fmt.Errorf("phone: contact: %w", err)
	}
	p.log.Info("contact added from the directory", "peer", id, "state", int(c.State))
	p.emit(Event{Kind: EventContact, Peer: id, Contact: &c})
	return c, nil
}
