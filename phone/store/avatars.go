package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OwnAvatarKey is the avatar key of the phone's own profile picture; it
// cannot collide with a conversation key (an 8-character identity, "g:…",
// "l:…").
const OwnAvatarKey = "me"

// Avatar is a stored profile picture or group photo.
type Avatar struct {
	// Key is its owner: a conversation key or OwnAvatarKey.
	Key string
	// Image is the normalized JPEG.
	Image []byte
	// UpdatedAt is when it was stored.
	UpdatedAt time.Time
}

// String names the avatar and its size, never its bytes.
func (a Avatar) String() string { return fmt.Sprintf("Avatar(%s, %d bytes)", a.Key, len(a.Image)) }

// PutAvatar stores (or replaces) the avatar of a.Key.
func (o Ops) PutAvatar(ctx context.Context, a Avatar) error {
	if a.Key == "" || len(a.Image) == 0 {
		return fmt.Errorf("store: put avatar: empty key or image")
	}
	_, err := o.q.ExecContext(ctx, `INSERT INTO avatars (key, image, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET image = excluded.image, updated_at = excluded.updated_at`,
		a.Key, a.Image, millis(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: put avatar: %w", err)
	}
	return nil
}

// Avatar returns the avatar of key, or ErrNotFound.
func (o Ops) Avatar(ctx context.Context, key string) (Avatar, error) {
	a := Avatar{Key: key}
	var at int64
	err := o.q.QueryRowContext(ctx, `SELECT image, updated_at FROM avatars WHERE key = ?`, key).Scan(&a.Image, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Avatar{}, fmt.Errorf("store: avatar %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return Avatar{}, fmt.Errorf("store: avatar %s: %w", key, err)
	}
	a.UpdatedAt = fromMillis(at)
	return a, nil
}

// DeleteAvatar removes the avatar of key; it reports whether there was one.
func (o Ops) DeleteAvatar(ctx context.Context, key string) (bool, error) {
	res, err := o.q.ExecContext(ctx, `DELETE FROM avatars WHERE key = ?`, key)
	if err != nil {
		return false, fmt.Errorf("store: delete avatar: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: delete avatar: %w", err)
	}
	return n > 0, nil
}
