package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// DesktopSession is a paired desktop (shared/protocols.md §2): the desktop's
// SaltyRTC permanent key and the phone's own key pair for this session.
type DesktopSession struct {
	// ID names the session (random hex).
	ID string
	// InitiatorKey is the desktop's SaltyRTC permanent public key.
	InitiatorKey cryptobox.PublicKey
	// Key is the phone's permanent key pair for this session (the responder key).
	Key cryptobox.KeyPair
	// Permanent sessions may reconnect in trusted-key mode (no token, §1.6).
	Permanent bool
	// Label is a name for people (e.g. the desktop's user agent).
	Label string
	// CreatedAt is when it was paired; LastSeen when it last connected.
	CreatedAt, LastSeen time.Time
}

// String never shows the keys.
func (d DesktopSession) String() string { return "DesktopSession(" + d.ID + ")" }

const desktopColumns = `id, initiator_key, secret_key, permanent, label, created_at, last_seen`

func scanDesktopSession(sc interface{ Scan(...any) error }) (DesktopSession, error) {
	var (
		d             DesktopSession
		ini, sec      []byte
		perm          int
		created, seen int64
	)
	if err := sc.Scan(&d.ID, &ini, &sec, &perm, &d.Label, &created, &seen); err != nil {
		return DesktopSession{}, err
	}
	if len(ini) != cryptobox.KeySize {
		return DesktopSession{}, fmt.Errorf("initiator key of %d bytes", len(ini))
	}
	copy(d.InitiatorKey[:], ini)
	sk, err := cryptobox.ParseSecretKey(sec)
	if err != nil {
		return DesktopSession{}, err
	}
	if d.Key, err = cryptobox.KeyPairFromSecret(sk); err != nil {
		return DesktopSession{}, err
	}
	d.Permanent, d.CreatedAt, d.LastSeen = perm != 0, fromMillis(created), fromMillis(seen)
	return d, nil
}

// PutDesktopSession stores a new desktop session (ErrExists if its id is taken).
func (o Ops) PutDesktopSession(ctx context.Context, d DesktopSession) error {
	res, err := o.q.ExecContext(ctx, `INSERT INTO desktop_sessions (id, initiator_key, public_key, secret_key, permanent,
		label, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		d.ID, d.InitiatorKey[:], d.Key.Public[:], d.Key.Secret[:], boolInt(d.Permanent), d.Label,
		millis(d.CreatedAt), millis(d.LastSeen))
	if err != nil {
		return fmt.Errorf("store: put desktop session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: put desktop session: %w", ErrExists)
	}
	return nil
}

// DesktopSession returns a desktop session by id, or ErrNotFound.
func (o Ops) DesktopSession(ctx context.Context, id string) (DesktopSession, error) {
	d, err := scanDesktopSession(o.q.QueryRowContext(ctx, `SELECT `+desktopColumns+` FROM desktop_sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return DesktopSession{}, fmt.Errorf("store: desktop session: %w", ErrNotFound)
	}
	if err != nil {
		return DesktopSession{}, fmt.Errorf("store: desktop session: %w", err)
	}
	return d, nil
}

// DesktopSessions lists the desktop sessions, the newest first.
func (o Ops) DesktopSessions(ctx context.Context) ([]DesktopSession, error) {
	rows, err := o.q.QueryContext(ctx, `SELECT `+desktopColumns+` FROM desktop_sessions ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("store: desktop sessions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	out := []DesktopSession{}
	for rows.Next() {
		d, err := scanDesktopSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: desktop sessions: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: desktop sessions: %w", err)
	}
	return out, nil
}

// TouchDesktopSession records that a desktop session connected at t.
func (o Ops) TouchDesktopSession(ctx context.Context, id string, t time.Time) error {
	if _, err := o.q.ExecContext(ctx, `UPDATE desktop_sessions SET last_seen = ? WHERE id = ?`, millis(t), id); err != nil {
		return fmt.Errorf("store: touch desktop session: %w", err)
	}
	return nil
}

// DeleteDesktopSession removes (revokes) a desktop session, or returns ErrNotFound.
func (o Ops) DeleteDesktopSession(ctx context.Context, id string) error {
	res, err := o.q.ExecContext(ctx, `DELETE FROM desktop_sessions WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete desktop session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete desktop session: %w", ErrNotFound)
	}
	return nil
}
