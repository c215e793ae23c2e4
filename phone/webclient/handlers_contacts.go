package webclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// contactError maps a phone error about a contact to its wire code.
func contactError(err error) error {
	switch {
	case errors.Is(err, phone.ErrUnknownIdentity), errors.Is(err, phone.ErrRevoked),
		errors.Is(err, phone.ErrSelf), errors.Is(err, phone.ErrInvalid):
		return fmt.Errorf("%w: %w", wc.ErrInvalidIdentity, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", wc.ErrInvalidContact, err)
	}
	return err
}

// handleContactCreate adds a contact (create/contact) and replies with its
// receiver object; the phone's contact event pushes update/receiver.
func (s *Session) handleContactCreate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	c, ok := v.(wc.ContactCreate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	added, err := s.srv.p.AddContact(ctx, c.Identity)
	if err != nil {
		return nil, contactError(err)
	}
	obj := contactOf(added)
	return []wc.WireMessage{wc.NewContactResult(m, &obj, nil)}, nil
}

// handleContactUpdate renames a contact (update/contact): a name part the
// desktop leaves out stays as it is, an empty one is cleared. Avatars are
// not kept. The phone's contact event pushes update/receiver.
func (s *Session) handleContactUpdate(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	u, ok := v.(wc.ContactUpdate)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	p := s.srv.p
	c, err := p.Store().Contact(ctx, u.Identity)
	if err != nil {
		return nil, contactError(err)
	}
	if u.FirstName != nil || u.LastName != nil {
		c, err = p.RenameContact(ctx, u.Identity, u.FirstName, u.LastName)
		if errors.Is(err, phone.ErrInvalid) {
			return nil, fmt.Errorf("%w: %w", wc.ErrBadRequest, err)
		} else if err != nil {
			return nil, contactError(err)
		}
	}
	obj := contactOf(c)
	return []wc.WireMessage{wc.NewContactResult(m, &obj, nil)}, nil
}

// handleContactDetail answers request/contactDetail for a known contact
// with empty address-book details (the phone keeps none), else
// invalidContact, as the Android app does.
func (s *Session) handleContactDetail(ctx context.Context, m wc.WireMessage, v any) ([]wc.WireMessage, error) {
	r, ok := v.(wc.ContactDetailRequest)
	if !ok {
		return nil, wc.ErrBadRequest
	}
	_, err := s.srv.p.Store().Contact(ctx, r.Identity)
	if err != nil {
		err = wc.ErrInvalidContact
	}
	return []wc.WireMessage{wc.NewContactDetail(m, r.Identity, err)}, nil
}
