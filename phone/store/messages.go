package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MessageState is where a message stands.
type MessageState string

// Message states. Outgoing messages go sending → sent (server ack) →
// delivered → read, or failed; incoming ones are received, then read.
const (
	// StateSending: stored and in the outbox, not yet acknowledged by the server.
	StateSending MessageState = "sending"
	// StateSent: the chat server acknowledged it.
	StateSent MessageState = "sent"
	// StateDelivered: the peer's delivery receipt (received) arrived.
	StateDelivered MessageState = "delivered"
	// StateRead: the peer's read receipt arrived, or the user read an incoming message.
	StateRead MessageState = "read"
	// StateFailed: it could not be sent.
	StateFailed MessageState = "failed"
	// StateReceived: an incoming message, stored.
	StateReceived MessageState = "received"
)

// stateRank orders the outgoing states so a late receipt never moves a
// message back.
func stateRank(s MessageState) int {
	switch s {
	case StateSending:
		return 1
	case StateSent:
		return 2
	case StateDelivered:
		return 3
	case StateRead:
		return 4
	}
	return 0
}

// Message is a message shown in a conversation.
type Message struct {
	// Seq is the store's row number (the order of arrival).
	Seq int64
	// Conversation is the conversation key.
	Conversation string
	// Sender is the identity that wrote it (self for outgoing messages).
	Sender string
	// MessageID is the E2E message id.
	MessageID uint64
	// Outgoing is true for messages the phone sent.
	Outgoing bool
	// Type is the E2E type byte (text, location, file, or their group forms).
	Type byte
	// Body is the text, the file caption, or the location's text form.
	Body string
	// Extra is the JSON of a location or file (see the phone package).
	Extra string
	// State is where the message stands.
	State MessageState
	// CreatedAt is the sender's creation time; ReceivedAt when it was stored.
	CreatedAt, ReceivedAt time.Time
	// DeliveredAt and ReadAt are set by receipts (outgoing) or by the user (incoming).
	DeliveredAt, ReadAt time.Time
	// UserAck is 3 (acknowledged), 4 (declined) or 0.
	UserAck int
	// EditedAt and DeletedAt are set by edit and delete messages.
	EditedAt, DeletedAt time.Time
	// Reactions are the emoji reactions to the message, newest first (see
	// Ops.Reactions); every read of a message fills them in.
	Reactions []Reaction
}

const messageColumns = `seq, conversation, sender, message_id, direction, type, body, extra, state,
	created_at, received_at, delivered_at, read_at, user_ack, edited_at, deleted_at`

func scanMessage(sc interface{ Scan(...any) error }) (Message, error) {
	var (
		m                                   Message
		mid                                 int64
		dir                                 int
		state                               string
		created, recv, deliv, read, ed, del int64
	)
	if err := sc.Scan(&m.Seq, &m.Conversation, &m.Sender, &mid, &dir, &m.Type, &m.Body, &m.Extra, &state,
		&created, &recv, &deliv, &read, &m.UserAck, &ed, &del); err != nil {
		return Message{}, err
	}
	m.MessageID, m.Outgoing, m.State = uint64(mid), dir == 1, MessageState(state)
	m.CreatedAt, m.ReceivedAt, m.DeliveredAt, m.ReadAt = fromMillis(created), fromMillis(recv), fromMillis(deliv), fromMillis(read)
	m.EditedAt, m.DeletedAt = fromMillis(ed), fromMillis(del)
	return m, nil
}

// AddMessage stores a new message and updates its conversation; it returns
// the message's Seq. A message already stored (same conversation, sender and
// id) is ErrExists.
func (o Ops) AddMessage(ctx context.Context, kind ConversationKind, m Message) (int64, error) {
	if err := o.touchConversation(ctx, m.Conversation, kind, m.CreatedAt, !m.Outgoing); err != nil {
		return 0, err
	}
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = time.Now()
	}
	res, err := o.q.ExecContext(ctx, `INSERT INTO messages (conversation, sender, message_id, direction, type, body, extra, state,
		created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		m.Conversation, m.Sender, int64(m.MessageID), boolInt(m.Outgoing), int(m.Type), m.Body, m.Extra, string(m.State),
		millis(m.CreatedAt), millis(m.ReceivedAt))
	if err != nil {
		return 0, fmt.Errorf("store: add message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("store: add message: %w", ErrExists)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("store: add message: %w", err)
	}
	return seq, nil
}

// Message returns the message of a conversation with the given sender and
// id, or ErrNotFound.
func (o Ops) Message(ctx context.Context, conversation, sender string, messageID uint64) (Message, error) {
	m, err := scanMessage(o.q.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND sender = ? AND message_id = ?`, conversation, sender, int64(messageID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, fmt.Errorf("store: message: %w", ErrNotFound)
	}
	if err != nil {
		return Message{}, fmt.Errorf("store: message: %w", err)
	}
	if m.Reactions, err = o.Reactions(ctx, m.Seq); err != nil {
		return Message{}, err
	}
	return m, nil
}

// MessageInConversation returns the message of a conversation with the
// given id from any sender (the message a quote names), or ErrNotFound.
// Message ids are random 64-bit values: should two senders of a group have
// used the same one, the oldest wins.
func (o Ops) MessageInConversation(ctx context.Context, conversation string, messageID uint64) (Message, error) {
	m, err := scanMessage(o.q.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND message_id = ? ORDER BY seq LIMIT 1`, conversation, int64(messageID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, fmt.Errorf("store: message: %w", ErrNotFound)
	}
	if err != nil {
		return Message{}, fmt.Errorf("store: message: %w", err)
	}
	if m.Reactions, err = o.Reactions(ctx, m.Seq); err != nil {
		return Message{}, err
	}
	return m, nil
}

// MessageBySeq returns a message by its Seq, or ErrNotFound.
func (o Ops) MessageBySeq(ctx context.Context, seq int64) (Message, error) {
	m, err := scanMessage(o.q.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM messages WHERE seq = ?`, seq))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, fmt.Errorf("store: message %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return Message{}, fmt.Errorf("store: message %d: %w", seq, err)
	}
	if m.Reactions, err = o.Reactions(ctx, m.Seq); err != nil {
		return Message{}, err
	}
	return m, nil
}

// Messages lists a conversation's messages in order; limit ≤ 0 means all,
// and beforeSeq > 0 pages backwards from that Seq (exclusive).
func (o Ops) Messages(ctx context.Context, conversation string, beforeSeq int64, limit int) ([]Message, error) {
	if limit <= 0 {
		limit = -1
	}
	if beforeSeq <= 0 {
		beforeSeq = 1 << 62
	}
	return o.queryMessages(ctx, "messages", `SELECT * FROM (SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`, conversation, beforeSeq, limit)
}

// queryMessages runs a query of messageColumns and fills in the reactions of
// the messages it returns; what names it in errors.
func (o Ops) queryMessages(ctx context.Context, what, query string, args ...any) ([]Message, error) {
	rows, err := o.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer func() { _ = rows.Close() }()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	_ = rows.Close() // before the reactions' queries: a Tx has one connection
	if err := o.withReactions(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// MessagesStartingWith lists, newest first, up to limit messages of a
// conversation whose body starts with prefix and that are not deleted: the
// replies to one message, by the quote header they start with.
func (o Ops) MessagesStartingWith(ctx context.Context, conversation, prefix string, limit int) ([]Message, error) {
	return o.queryMessages(ctx, "messages starting with", `SELECT `+messageColumns+` FROM messages
		WHERE conversation = ? AND deleted_at = 0 AND substr(body, 1, ?) = ? ORDER BY seq DESC LIMIT ?`,
		conversation, len([]rune(prefix)), prefix, limit)
}

// SetMessageState moves an outgoing message forward (never back, except to
// failed from sending); at sets delivered_at or read_at where it applies.
// It reports whether the message changed.
func (o Ops) SetMessageState(ctx context.Context, seq int64, state MessageState, at time.Time) (bool, error) {
	m, err := o.MessageBySeq(ctx, seq)
	if err != nil {
		return false, err
	}
	if state == StateFailed && m.State != StateSending {
		return false, nil
	}
	if state != StateFailed && m.Outgoing && stateRank(state) <= stateRank(m.State) {
		return false, nil
	}
	q := `UPDATE messages SET state = ? WHERE seq = ?`
	args := []any{string(state), seq}
	switch state {
	case StateDelivered:
		q = `UPDATE messages SET state = ?, delivered_at = ? WHERE seq = ?`
		args = []any{string(state), millis(at), seq}
	case StateRead:
		q = `UPDATE messages SET state = ?, read_at = ?, delivered_at = CASE delivered_at WHEN 0 THEN ? ELSE delivered_at END WHERE seq = ?`
		args = []any{string(state), millis(at), millis(at), seq}
	}
	if _, err := o.q.ExecContext(ctx, q, args...); err != nil {
		return false, fmt.Errorf("store: message state: %w", err)
	}
	return true, nil
}

// SetUserAck records an acknowledge (3) or decline (4) of a message.
func (o Ops) SetUserAck(ctx context.Context, seq int64, status int) error {
	if _, err := o.q.ExecContext(ctx, `UPDATE messages SET user_ack = ? WHERE seq = ?`, status, seq); err != nil {
		return fmt.Errorf("store: user ack: %w", err)
	}
	return nil
}

// EditMessage replaces a message's body.
func (o Ops) EditMessage(ctx context.Context, seq int64, body string, at time.Time) error {
	if _, err := o.q.ExecContext(ctx, `UPDATE messages SET body = ?, edited_at = ? WHERE seq = ? AND deleted_at = 0`, body, millis(at), seq); err != nil {
		return fmt.Errorf("store: edit message: %w", err)
	}
	return nil
}

// DeleteMessage clears a message's content, reactions and kept file and
// marks it deleted; the row stays so that the conversation shows where it
// was.
func (o Ops) DeleteMessage(ctx context.Context, seq int64, at time.Time) error {
	if _, err := o.q.ExecContext(ctx, `UPDATE messages SET body = '', extra = '', deleted_at = ? WHERE seq = ?`, millis(at), seq); err != nil {
		return fmt.Errorf("store: delete message: %w", err)
	}
	for _, q := range []string{`DELETE FROM reactions WHERE message_seq = ?`, `DELETE FROM files WHERE message_seq = ?`} {
		if _, err := o.q.ExecContext(ctx, q, seq); err != nil {
			return fmt.Errorf("store: delete message: %w", err)
		}
	}
	return nil
}

// RemoveMessage deletes a message from this store only (its reactions go
// with it; an outbox entry still sending it stays), taking an unread
// incoming one off its conversation's unread count. It reports whether
// there was such a message.
func (o Ops) RemoveMessage(ctx context.Context, seq int64) (bool, error) {
	var (
		conversation string
		unread       bool
	)
	err := o.q.QueryRowContext(ctx, `SELECT conversation, direction = 0 AND read_at = 0 FROM messages WHERE seq = ?`, seq).Scan(&conversation, &unread)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: remove message: %w", err)
	}
	if _, err := o.q.ExecContext(ctx, `DELETE FROM messages WHERE seq = ?`, seq); err != nil {
		return false, fmt.Errorf("store: remove message: %w", err)
	}
	if unread {
		if _, err := o.q.ExecContext(ctx, `UPDATE conversations SET unread = MAX(unread - 1, 0) WHERE key = ?`, conversation); err != nil {
			return false, fmt.Errorf("store: remove message: %w", err)
		}
	}
	return true, nil
}

// MarkIncomingRead marks the conversation's unread incoming messages up to
// upToSeq read locally, without receipts (group messages get none), resets
// the conversation's unread count and returns how many messages changed.
func (o Ops) MarkIncomingRead(ctx context.Context, key string, upToSeq int64, at time.Time) (int64, error) {
	res, err := o.q.ExecContext(ctx, `UPDATE messages SET read_at = ? WHERE conversation = ? AND seq <= ? AND direction = 0 AND read_at = 0`,
		millis(at), key, upToSeq)
	if err != nil {
		return 0, fmt.Errorf("store: mark read: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: mark read: %w", err)
	}
	return n, o.MarkConversationRead(ctx, key)
}
