package phone

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

// CreateList creates a distribution list: a local fan-out to 1:1
// conversations; the members never learn of the list.
func (p *Phone) CreateList(ctx context.Context, name string, members []string) (store.List, error) {
	ms, err := p.normalizeMembers(members, p.self.ID)
	if err != nil {
		return store.List{}, err
	}
	for _, m := range ms {
		if _, err := p.ensureContact(ctx, m); err != nil {
			return store.List{}, err
		}
	}
	id, err := p.st.AddList(ctx, name, ms)
	if err != nil {
		return store.List{}, fmt.Errorf("phone: create list: %w", err)
	}
	return p.st.List(ctx, id)
}

// SendListText sends a text to every member of a distribution list, each
// as an ordinary 1:1 message, and records it once in the list's
// conversation. It returns the 1:1 messages.
func (p *Phone) SendListText(ctx context.Context, listID int64, text string) ([]store.Message, error) {
	out, err := p.sendList(ctx, listID, func(to string) (store.Message, error) { return p.SendText(ctx, to, text) })
	if err != nil {
		return out, err
	}
	_, err = p.recordList(ctx, listID, store.Message{Type: e2e.TypeText, Body: text})
	return out, err
}

// SendListFile sends a file to every member of a distribution list, each as
// an ordinary 1:1 file message with a blob of its own (a 1:1 receiver tells
// the blob server when it has the file, which may then drop it), and
// records it once in the list's conversation with one more blob, the
// list's own, which no receiver drops. It returns the 1:1 messages.
func (p *Phone) SendListFile(ctx context.Context, listID int64, in FileInput) ([]store.Message, error) {
	out, err := p.sendList(ctx, listID, func(to string) (store.Message, error) { return p.SendFile(ctx, to, in) })
	if err != nil {
		return out, err
	}
	f, err := p.uploadFile(ctx, in)
	if err != nil {
		return out, err
	}
	extra, err := json.Marshal(fileInfoOf(f))
	if err != nil {
		return out, fmt.Errorf("phone: list file: %w", err)
	}
	seq, err := p.recordList(ctx, listID, store.Message{Type: e2e.TypeFile, Body: f.Caption, Extra: string(extra)})
	if err == nil {
		p.keepFile(ctx, seq, in.Data)
	}
	return out, err
}

// sendList sends one message to each member of a list with send.
func (p *Phone) sendList(ctx context.Context, listID int64, send func(to string) (store.Message, error)) ([]store.Message, error) {
	l, err := p.st.List(ctx, listID)
	if err != nil {
		return nil, fmt.Errorf("phone: list: %w", err)
	}
	var out []store.Message
	for _, m := range l.Members {
		msg, err := send(m)
		if err != nil {
			return out, err
		}
		out = append(out, msg)
	}
	return out, nil
}

// recordList stores what was sent to a list's members as one outgoing
// message of the list's conversation and returns its sequence number.
func (p *Phone) recordList(ctx context.Context, listID int64, m store.Message) (int64, error) {
	l, err := p.st.List(ctx, listID)
	if err != nil {
		return 0, fmt.Errorf("phone: list: %w", err)
	}
	id, err := p.newMessageID()
	if err != nil {
		return 0, err
	}
	m.Conversation, m.Sender, m.MessageID, m.Outgoing = l.Key(), p.self.ID, id, true
	m.State, m.CreatedAt = store.StateSent, p.opts.now()
	seq, err := p.st.AddMessage(ctx, store.KindList, m)
	if err != nil {
		return 0, fmt.Errorf("phone: list: %w", err)
	}
	return seq, nil
}

// UpdateList renames a distribution list and replaces its members (contacts
// fetched as needed); store.ErrNotFound for an unknown list.
func (p *Phone) UpdateList(ctx context.Context, id int64, name string, members []string) (store.List, error) {
	ms, err := p.normalizeMembers(members, p.self.ID)
	if err != nil {
		return store.List{}, err
	}
	for _, m := range ms {
		if _, err := p.ensureContact(ctx, m); err != nil {
			return store.List{}, err
		}
	}
	err = p.st.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateList(ctx, id, name, ms) })
	if err != nil {
		return store.List{}, fmt.Errorf("phone: update list: %w", err)
	}
	return p.st.List(ctx, id)
}

// DeleteList deletes a distribution list and its conversation; the 1:1
// messages sent through it stay. store.ErrNotFound for an unknown list.
func (p *Phone) DeleteList(ctx context.Context, id int64) error {
	if err := p.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteList(ctx, id) }); err != nil {
		return fmt.Errorf("phone: delete list: %w", err)
	}
	return nil
}

// ClearConversation deletes every message of a conversation (key as in
// store.ContactKey, GroupKey, ListKey) on this phone only; peers keep
// theirs. It returns the number of messages deleted.
func (p *Phone) ClearConversation(ctx context.Context, key string) (int64, error) {
	n, err := p.st.ClearConversation(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("phone: clear conversation: %w", err)
	}
	return n, nil
}
