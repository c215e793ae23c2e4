package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Group is a group the phone is (or was) in.
type Group struct {
	// Creator is the creator's identity.
	Creator string
	// ID is the creator's group id.
	ID uint64
	// Name is the group's name.
	Name string
	// Members are the members other than the creator, sorted.
	Members []string
	// Left is true once self left or was removed.
	Left bool
	// CreatedAt is when the phone learnt of the group.
	CreatedAt time.Time
}

// Key is the group's conversation key.
func (g Group) Key() string { return GroupKey(g.Creator, g.ID) }

// Group returns a group with its members, or ErrNotFound.
func (o Ops) Group(ctx context.Context, creator string, id uint64) (Group, error) {
	g := Group{Creator: creator, ID: id}
	var (
		left    int
		created int64
	)
	err := o.q.QueryRowContext(ctx, `SELECT name, left_group, created_at FROM groups WHERE creator = ? AND group_id = ?`,
		creator, int64(id)).Scan(&g.Name, &left, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, fmt.Errorf("store: group: %w", ErrNotFound)
	}
	if err != nil {
		return Group{}, fmt.Errorf("store: group: %w", err)
	}
	g.Left, g.CreatedAt = left != 0, fromMillis(created)
	rows, err := o.q.QueryContext(ctx, `SELECT member FROM group_members WHERE creator = ? AND group_id = ? ORDER BY member`, creator, int64(id))
	if err != nil {
		return Group{}, fmt.Errorf("store: group members: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return Group{}, fmt.Errorf("store: group members: %w", err)
		}
		g.Members = append(g.Members, m)
	}
	if err := rows.Err(); err != nil {
		return Group{}, fmt.Errorf("store: group members: %w", err)
	}
	return g, nil
}

// Groups lists every group.
func (o Ops) Groups(ctx context.Context) ([]Group, error) {
	rows, err := o.q.QueryContext(ctx, `SELECT creator, group_id FROM groups ORDER BY created_at, creator, group_id`)
	if err != nil {
		return nil, fmt.Errorf("store: groups: %w", err)
	}
	type key struct {
		creator string
		id      int64
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.creator, &k.id); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: groups: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("store: groups: %w", err)
	}
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		g, err := o.Group(ctx, k.creator, uint64(k.id))
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// PutGroup creates or replaces a group: name, left flag and the member list.
func (o Ops) PutGroup(ctx context.Context, g Group) error {
	created := millis(g.CreatedAt)
	if created == 0 {
		created = millis(time.Now())
	}
	if _, err := o.q.ExecContext(ctx, `INSERT INTO groups (creator, group_id, name, left_group, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (creator, group_id) DO UPDATE SET name = excluded.name, left_group = excluded.left_group`,
		g.Creator, int64(g.ID), g.Name, boolInt(g.Left), created); err != nil {
		return fmt.Errorf("store: put group: %w", err)
	}
	if _, err := o.q.ExecContext(ctx, `DELETE FROM group_members WHERE creator = ? AND group_id = ?`, g.Creator, int64(g.ID)); err != nil {
		return fmt.Errorf("store: put group: %w", err)
	}
	for _, m := range g.Members {
		if _, err := o.q.ExecContext(ctx, `INSERT INTO group_members (creator, group_id, member) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			g.Creator, int64(g.ID), m); err != nil {
			return fmt.Errorf("store: put group member: %w", err)
		}
	}
	if _, err := o.q.ExecContext(ctx, `INSERT INTO conversations (key, kind) VALUES (?, 'group') ON CONFLICT DO NOTHING`, g.Key()); err != nil {
		return fmt.Errorf("store: put group: %w", err)
	}
	return nil
}

// DeleteGroup deletes a group from this store: its members, its
// conversation with every message in it, and its picture. ErrNotFound for
// an unknown group.
func (o Ops) DeleteGroup(ctx context.Context, creator string, id uint64) error {
	key := GroupKey(creator, id)
	if err := o.deleteConversation(ctx, key); err != nil {
		return fmt.Errorf("store: delete group: %w", err)
	}
	if _, err := o.DeleteAvatar(ctx, key); err != nil {
		return fmt.Errorf("store: delete group: %w", err)
	}
	res, err := o.q.ExecContext(ctx, `DELETE FROM groups WHERE creator = ? AND group_id = ?`, creator, int64(id))
	if err != nil {
		return fmt.Errorf("store: delete group: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete group %s/%016x: %w", creator, id, ErrNotFound)
	}
	return nil
}
