package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Verification is how far the phone trusts a contact's key (Threema's
// verification levels).
type Verification int

// Verification levels.
const (
	// VerificationDirectory: the key came from the directory.
	VerificationDirectory Verification = 1
	// VerificationMatched: found by a hashed e-mail or phone number.
	VerificationMatched Verification = 2
	// VerificationInPerson: the key fingerprint was compared in person.
	VerificationInPerson Verification = 3
)

// ContactState is the directory state of a contact (§4).
type ContactState int

// Contact states, the directory's wire values.
const (
	// ContactActive is a usable identity.
	ContactActive ContactState = 0
	// ContactInactive is an identity that has not been used for a long time.
	ContactInactive ContactState = 1
	// ContactRevoked is an identity revoked for good (directory state 2).
	ContactRevoked ContactState = 2
)

// Contact is another identity the phone knows.
type Contact struct {
	// ID is the contact's identity.
	ID string
	// PublicKey is its long-term key.
	PublicKey cryptobox.PublicKey
	// Nickname is the nickname the contact sends.
	Nickname string
	// FirstName and LastName are the name the user gave it (either may be
	// empty).
	FirstName, LastName string
	// Verification is the trust level of the key.
	Verification Verification
	// Blocked contacts' messages are dropped.
	Blocked bool
	// State is the directory state.
	State ContactState
	// FeatureMask is the directory's feature mask (§3.6).
	FeatureMask uint64
	// CreatedAt and UpdatedAt are bookkeeping times.
	CreatedAt, UpdatedAt time.Time
}

// Name is the name the user gave the contact: the first and the last name
// joined by a space, or "" when it has none.
func (c Contact) Name() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// DisplayName is how the contact is shown, as the Threema apps show it: the
// name the user gave it; else its public nickname after a "~" (a name the
// contact chose, not the user); else its ID.
func (c Contact) DisplayName() string {
	if n := c.Name(); n != "" {
		return n
	}
	if c.Nickname != "" && c.Nickname != c.ID {
		return "~" + c.Nickname
	}
	return c.ID
}

const contactColumns = `id, public_key, nickname, first_name, last_name, verification, blocked, state, feature_mask, created_at, updated_at`

func scanContact(sc interface{ Scan(...any) error }) (Contact, error) {
	var (
		c                Contact
		pub              []byte
		blocked          int
		created, updated int64
	)
	if err := sc.Scan(&c.ID, &pub, &c.Nickname, &c.FirstName, &c.LastName, &c.Verification, &blocked, &c.State, &c.FeatureMask, &created, &updated); err != nil {
		return Contact{}, err
	}
	k, err := cryptobox.ParsePublicKey(pub)
	if err != nil {
		return Contact{}, err
	}
	c.PublicKey = k
	c.Blocked = blocked != 0
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, nil
}

// Contact returns one contact, or ErrNotFound.
func (o Ops) Contact(ctx context.Context, id string) (Contact, error) {
	c, err := scanContact(o.q.QueryRowContext(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, fmt.Errorf("store: contact %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Contact{}, fmt.Errorf("store: contact %s: %w", id, err)
	}
	return c, nil
}

// Contacts lists every contact by ID.
func (o Ops) Contacts(ctx context.Context) ([]Contact, error) {
	rows, err := o.q.QueryContext(ctx, `SELECT `+contactColumns+` FROM contacts ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("store: contacts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	return out, nil
}

// PutContact inserts or replaces a contact. A contact whose key changed
// is refused: an identity's key never changes.
func (o Ops) PutContact(ctx context.Context, c Contact) error {
	now := millis(time.Now())
	created := millis(c.CreatedAt)
	if created == 0 {
		created = now
	}
	res, err := o.q.ExecContext(ctx, `INSERT INTO contacts (`+contactColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET nickname = excluded.nickname, first_name = excluded.first_name,
			last_name = excluded.last_name,
			verification = excluded.verification, blocked = excluded.blocked, state = excluded.state,
			feature_mask = excluded.feature_mask, updated_at = excluded.updated_at
		WHERE contacts.public_key = excluded.public_key`,
		c.ID, c.PublicKey[:], c.Nickname, c.FirstName, c.LastName, int(c.Verification), boolInt(c.Blocked), int(c.State), int64(c.FeatureMask), created, now)
	if err != nil {
		return fmt.Errorf("store: put contact %s: %w", c.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: put contact %s: key differs from the stored one: %w", c.ID, ErrExists)
	}
	return nil
}

// DeleteContact removes a contact; its conversation stays.
func (o Ops) DeleteContact(ctx context.Context, id string) error {
	res, err := o.q.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete contact %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete contact %s: %w", id, ErrNotFound)
	}
	return nil
}
