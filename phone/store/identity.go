package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Identity is the phone's own identity. Its String never shows the secret key.
type Identity struct {
	// ID is the 8-character identity.
	ID string
	// Key is the long-term key pair CK.
	Key cryptobox.KeyPair
	// Nickname is sent in the metadata box of every message.
	Nickname string
	// CreatedAt is when the identity was stored.
	CreatedAt time.Time
}

// String names the identity and never the keys.
func (i Identity) String() string { return "Identity(" + i.ID + ")" }

// Identity returns the stored identity, or ErrNotFound before Init.
func (o Ops) Identity(ctx context.Context) (Identity, error) {
	var (
		id       Identity
		pub, sec []byte
		created  int64
	)
	err := o.q.QueryRowContext(ctx, `SELECT id, public_key, secret_key, nickname, created_at FROM identity WHERE singleton = 1`).
		Scan(&id.ID, &pub, &sec, &id.Nickname, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Identity{}, fmt.Errorf("store: identity: %w", ErrNotFound)
	}
	if err != nil {
		return Identity{}, fmt.Errorf("store: identity: %w", err)
	}
	sk, err := cryptobox.ParseSecretKey(sec)
	if err != nil {
		return Identity{}, fmt.Errorf("store: identity: %w", err)
	}
	kp, err := cryptobox.KeyPairFromSecret(sk)
	if err != nil {
		return Identity{}, fmt.Errorf("store: identity: %w", err)
	}
	if !kp.Public.Equal(cryptobox.PublicKey(pub)) {
		return Identity{}, fmt.Errorf("store: identity: public key does not match the secret key")
	}
	id.Key = kp
	id.CreatedAt = fromMillis(created)
	return id, nil
}

// SetIdentity stores the identity; there can be only one (ErrExists).
func (o Ops) SetIdentity(ctx context.Context, id Identity) error {
	_, err := o.q.ExecContext(ctx, `INSERT INTO identity (singleton, id, public_key, secret_key, nickname, created_at)
		VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		id.ID, id.Key.Public[:], id.Key.Secret[:], id.Nickname, millis(id.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: set identity: %w", err)
	}
	cur, err := o.Identity(ctx)
	if err != nil {
		return err
	}
	if cur.ID != id.ID || !cur.Key.Public.Equal(id.Key.Public) {
		return fmt.Errorf("store: set identity: %w", ErrExists)
	}
	return nil
}

// SetNickname changes the own nickname.
func (o Ops) SetNickname(ctx context.Context, nickname string) error {
	if _, err := o.q.ExecContext(ctx, `UPDATE identity SET nickname = ? WHERE singleton = 1`, nickname); err != nil {
		return fmt.Errorf("store: set nickname: %w", err)
	}
	return nil
}
