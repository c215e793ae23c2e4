package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// List is a distribution list: a message to it goes to each member 1:1.
type List struct {
	// ID is the list's local id.
	ID int64
	// Name is its name.
	Name string
	// Members are the member identities, sorted.
	Members []string
}

// Key is the list's conversation key.
func (l List) Key() string { return ListKey(l.ID) }

// AddList creates a distribution list and returns its id.
func (o Ops) AddList(ctx context.Context, name string, members []string) (int64, error) {
	res, err := o.q.ExecContext(ctx, `INSERT INTO lists (name, created_at) VALUES (?, ?)`, name, millis(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("store: add list: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("store: add list: %w", err)
	}
	for _, m := range members {
		if _, err := o.q.ExecContext(ctx, `INSERT INTO list_members (list_id, member) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, m); err != nil {
			return 0, fmt.Errorf("store: add list member: %w", err)
		}
	}
	if _, err := o.q.ExecContext(ctx, `INSERT INTO conversations (key, kind) VALUES (?, 'list') ON CONFLICT DO NOTHING`, ListKey(id)); err != nil {
		return 0, fmt.Errorf("store: add list: %w", err)
	}
	return id, nil
}

// List returns a distribution list, or ErrNotFound.
func (o Ops) List(ctx context.Context, id int64) (List, error) {
	l := List{ID: id}
	err := o.q.QueryRowContext(ctx, `SELECT name FROM lists WHERE id = ?`, id).Scan(&l.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return List{}, fmt.Errorf("store: list %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return List{}, fmt.Errorf("store: list %d: %w", id, err)
	}
	rows, err := o.q.QueryContext(ctx, `SELECT member FROM list_members WHERE list_id = ? ORDER BY member`, id)
	if err != nil {
		return List{}, fmt.Errorf("store: list %d: %w", id, err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return List{}, fmt.Errorf("store: list %d: %w", id, err)
		}
		l.Members = append(l.Members, m)
	}
	if err := rows.Err(); err != nil {
		return List{}, fmt.Errorf("store: list %d: %w", id, err)
	}
	return l, nil
}

// UpdateList renames a distribution list and replaces its members, or
// returns ErrNotFound.
func (o Ops) UpdateList(ctx context.Context, id int64, name string, members []string) error {
	res, err := o.q.ExecContext(ctx, `UPDATE lists SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		return fmt.Errorf("store: update list: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update list %d: %w", id, ErrNotFound)
	}
	if _, err := o.q.ExecContext(ctx, `DELETE FROM list_members WHERE list_id = ?`, id); err != nil {
		return fmt.Errorf("store: update list: %w", err)
	}
	for _, m := range members {
		if _, err := o.q.ExecContext(ctx, `INSERT INTO list_members (list_id, member) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, m); err != nil {
			return fmt.Errorf("store: update list member: %w", err)
		}
	}
	return nil
}

// DeleteList deletes a distribution list with its conversation and the
// messages recorded in it (the 1:1 copies stay), or returns ErrNotFound.
func (o Ops) DeleteList(ctx context.Context, id int64) error {
	if err := o.deleteConversation(ctx, ListKey(id)); err != nil {
		return fmt.Errorf("store: delete list: %w", err)
	}
	res, err := o.q.ExecContext(ctx, `DELETE FROM lists WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete list: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete list %d: %w", id, ErrNotFound)
	}
	return nil
}
