package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MaxReactionsPerIdentity bounds the distinct emoji one identity holds on
// one message. A peer chooses how many reactions it sends; the Threema apps
// show a handful. ApplyReaction refuses more with ErrLimit.
const MaxReactionsPerIdentity = 20

// Reaction is one identity's emoji reaction to a message.
type Reaction struct {
	// Identity is who reacted (self for own reactions).
	Identity string `json:"identity"`
	// Emoji is the emoji sequence.
	Emoji string `json:"emoji"`
	// At is when the reaction was made (the reaction message's creation time).
	At time.Time `json:"at"`
}

// ApplyReaction records identity's emoji reaction to the message with Seq
// seq. It reports whether it is new (false: the identity already has that
// emoji on the message). An identity that holds MaxReactionsPerIdentity
// emoji on the message gets ErrLimit.
func (o Ops) ApplyReaction(ctx context.Context, seq int64, identity, emoji string, at time.Time) (bool, error) {
	var n int
	if err := o.q.QueryRowContext(ctx, `SELECT count(*) FROM reactions WHERE message_seq = ? AND identity = ?`,
		seq, identity).Scan(&n); err != nil {
		return false, fmt.Errorf("store: apply reaction: %w", err)
	}
	var has int
	if err := o.q.QueryRowContext(ctx, `SELECT count(*) FROM reactions WHERE message_seq = ? AND identity = ? AND emoji = ?`,
		seq, identity, emoji).Scan(&has); err != nil {
		return false, fmt.Errorf("store: apply reaction: %w", err)
	}
	if has > 0 {
		return false, nil
	}
	if n >= MaxReactionsPerIdentity {
		return false, fmt.Errorf("store: apply reaction: %w", ErrLimit)
	}
	if _, err := o.q.ExecContext(ctx, `INSERT INTO reactions (message_seq, identity, emoji, created_at) VALUES (?, ?, ?, ?)`,
		seq, identity, emoji, millis(at)); err != nil {
		return false, fmt.Errorf("store: apply reaction: %w", err)
	}
	return true, nil
}

// WithdrawReaction removes identity's emoji reaction to the message with
// Seq seq and reports whether there was one.
func (o Ops) WithdrawReaction(ctx context.Context, seq int64, identity, emoji string) (bool, error) {
	res, err := o.q.ExecContext(ctx, `DELETE FROM reactions WHERE message_seq = ? AND identity = ? AND emoji = ?`, seq, identity, emoji)
	if err != nil {
		return false, fmt.Errorf("store: withdraw reaction: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: withdraw reaction: %w", err)
	}
	return n > 0, nil
}

// HasReaction reports whether identity has the emoji reaction on the
// message with Seq seq.
func (o Ops) HasReaction(ctx context.Context, seq int64, identity, emoji string) (bool, error) {
	var n int
	if err := o.q.QueryRowContext(ctx, `SELECT count(*) FROM reactions WHERE message_seq = ? AND identity = ? AND emoji = ?`,
		seq, identity, emoji).Scan(&n); err != nil {
		return false, fmt.Errorf("store: reaction: %w", err)
	}
	return n > 0, nil
}

// Reactions lists the reactions to the message with Seq seq, newest first
// (ties in the order they were stored, the later first).
func (o Ops) Reactions(ctx context.Context, seq int64) ([]Reaction, error) {
	rows, err := o.q.QueryContext(ctx, `SELECT identity, emoji, created_at FROM reactions WHERE message_seq = ?
		ORDER BY created_at DESC, id DESC`, seq)
	if err != nil {
		return nil, fmt.Errorf("store: reactions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Reaction
	for rows.Next() {
		var (
			r  Reaction
			at int64
		)
		if err := rows.Scan(&r.Identity, &r.Emoji, &at); err != nil {
			return nil, fmt.Errorf("store: reactions: %w", err)
		}
		r.At = fromMillis(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reactions: %w", err)
	}
	return out, nil
}

// withReactions fills in the reactions of ms, in one query for the page
// (a page of messages is read on every request/messages).
func (o Ops) withReactions(ctx context.Context, ms []Message) error {
	if len(ms) == 0 {
		return nil
	}
	at := make(map[int64]int, len(ms))
	args := make([]any, 0, len(ms))
	for i, m := range ms {
		at[m.Seq] = i
		args = append(args, m.Seq)
	}
	rows, err := o.q.QueryContext(ctx, `SELECT message_seq, identity, emoji, created_at FROM reactions
		WHERE message_seq IN (?`+strings.Repeat(", ?", len(ms)-1)+`) ORDER BY created_at DESC, id DESC`, args...)
	if err != nil {
		return fmt.Errorf("store: reactions: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var (
			seq, created int64
			r            Reaction
		)
		if err := rows.Scan(&seq, &r.Identity, &r.Emoji, &created); err != nil {
			return fmt.Errorf("store: reactions: %w", err)
		}
		r.At = fromMillis(created)
		if i, ok := at[seq]; ok {
			ms[i].Reactions = append(ms[i].Reactions, r)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: reactions: %w", err)
	}
	return nil
}
