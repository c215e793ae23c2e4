package phone

import (
	"context"
	"errors"
	"fmt"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/directory"
	"github.com/kurier/kurier/protocol/e2e"
)

// Reasons an incoming message is rejected (Event.Reason and the "reason"
// of the log line).
const (
	// RejectNotForMe: the header's receiver is another identity.
	RejectNotForMe = "not-for-me"
	// RejectFromSelf: the header's sender is the own identity (reflection).
	RejectFromSelf = "from-self"
	// RejectUnknownSender: the directory does not know the sender.
	RejectUnknownSender = "unknown-sender"
	// RejectRevoked: the sender's identity is revoked.
	RejectRevoked = "revoked"
	// RejectBlocked: the sender is blocked.
	RejectBlocked = "blocked"
	// RejectReplay: the nonce was used before, incoming or outgoing (replay or reflection).
	RejectReplay = "replay"
	// RejectDecrypt: a box failed authentication.
	RejectDecrypt = "decrypt"
	// RejectIDMismatch: the metadata message id differs from the header's.
	RejectIDMismatch = "message-id-mismatch"
	// RejectNoMetadata: a legacy message without metadata box.
	RejectNoMetadata = "no-metadata"
	// RejectUnsupported: an authentic message of a type the phone does not handle, or malformed.
	RejectUnsupported = "unsupported"
	// RejectDuplicate: (sender, message id) was accepted before.
	RejectDuplicate = "duplicate"
	// RejectGroup: a group message that breaks the group rules (unknown group, not a member).
	RejectGroup = "group-rule"
	// RejectInvalid: a message that refers to something that does not exist.
	RejectInvalid = "invalid"
)

// acker acknowledges incoming messages to the chat server.
type acker interface {
	Ack(ctx context.Context, sender csp.ID, messageID uint64) error
}

// verdict is what handling one incoming envelope decided; its effects
// beyond the database happen after the batch's commit.
type verdict struct {
	env     csp.Envelope
	ack     bool
	events  []Event
	receipt bool                        // automatic delivery receipt
	after   []func(ctx context.Context) // follow-ups (group sync)
}

// batchSeen catches duplicates inside one batch, before they are committed.
type batchSeen struct {
	nonces       map[cryptobox.Nonce]bool
	ids          map[dedupKey]bool
	lookupFailed map[csp.ID]bool // senders the directory could not be asked about
}

type dedupKey struct {
	sender csp.ID
	id     uint64
}

// handleBatch runs the receiver steps of protocol/e2e's doc.go for each
// envelope, stores the outcome of the whole batch in one transaction, then
// acks, emits events and sends the automatic receipts.
func (p *Phone) handleBatch(ctx context.Context, a acker, batch []csp.Envelope) error {
	seen := batchSeen{nonces: make(map[cryptobox.Nonce]bool), ids: make(map[dedupKey]bool),
		lookupFailed: p.prefetchSenders(ctx, batch)}
	verdicts := make([]verdict, 0, len(batch))
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		for _, env := range batch {
			v := verdict{env: env, ack: !env.Flags.Has(csp.FlagNoAck)}
			if err := p.check(ctx, tx, &v, &seen); err != nil {
				return err
			}
			verdicts = append(verdicts, v)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("phone: receive: %w", err)
	}
	receipts := make(map[string][]uint64)
	var order []string
	for _, v := range verdicts {
		if v.ack {
			if err := a.Ack(ctx, v.env.Sender, v.env.MessageID); err != nil {
				p.log.Info("ack not sent; the server will deliver again and the nonce store drops it", "err", err)
			}
		}
		p.emit(v.events...)
		if v.receipt {
			s := v.env.Sender.String()
			if _, ok := receipts[s]; !ok {
				order = append(order, s)
			}
			receipts[s] = append(receipts[s], v.env.MessageID)
		}
	}
	for _, s := range order {
		c, err := p.st.Contact(ctx, s)
		if err != nil {
			return fmt.Errorf("phone: receipt: %w", err)
		}
		ids := receipts[s]
		for start := 0; start < len(ids); start += e2e.MaxReceiptIDs {
			r := e2e.DeliveryReceipt{Status: e2e.ReceiptReceived, MessageIDs: ids[start:min(start+e2e.MaxReceiptIDs, len(ids))]}
			if err := p.sendControl(ctx, c, r); err != nil {
				return fmt.Errorf("phone: receipt: %w", err)
			}
		}
	}
	for _, v := range verdicts {
		for _, f := range v.after {
			f(ctx)
		}
	}
	return nil
}

// prefetchSenders adds the unknown senders of a batch as contacts (level 1)
// with one directory request; identities the directory does not know stay
// unknown and their messages are rejected. When the directory cannot be
// asked, it returns the senders concerned: their messages are neither
// stored nor acked, so the server delivers them again after the next login.
func (p *Phone) prefetchSenders(ctx context.Context, batch []csp.Envelope) map[csp.ID]bool {
	var unknown []string
	seen := make(map[csp.ID]bool)
	for _, env := range batch {
		if seen[env.Sender] || env.Sender == p.id || env.Receiver != p.id || !env.Sender.Valid() {
			continue
		}
		seen[env.Sender] = true
		if _, err := p.st.Contact(ctx, env.Sender.String()); errors.Is(err, store.ErrNotFound) {
			unknown = append(unknown, env.Sender.String())
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	var ids []directory.Identity
	var err error
	for start := 0; start < len(unknown) && err == nil; start += directoryBatch {
		var part []directory.Identity
		part, err = p.dirc.FetchBulk(ctx, unknown[start:min(start+directoryBatch, len(unknown))])
		ids = append(ids, part...)
	}
	if err != nil {
		p.log.Warn("directory lookup of new senders failed; their messages wait for the next login", "count", len(unknown), "err", err)
		failed := make(map[csp.ID]bool, len(unknown))
		for _, u := range unknown {
			id, _ := csp.ParseID(u)
			failed[id] = true
		}
		return failed
	}
	for _, d := range ids {
		c := contactFromDirectory(d, store.VerificationDirectory)
		if err := p.st.PutContact(ctx, c); err != nil {
			p.log.Warn("new sender not stored", "peer", d.ID, "err", err)
			continue
		}
		if c, err = p.st.Contact(ctx, d.ID); err == nil {
			p.log.Info("contact added from the directory", "peer", d.ID, "state", int(c.State))
			p.emit(Event{Kind: EventContact, Peer: c.ID, Contact: &c})
		}
	}
	return nil
}

// reject records why v's message is dropped: a log line with the reason,
// the sender, the id and the box's length — never its content — and an
// EventRejected.
func (p *Phone) reject(v *verdict, reason string, err error) {
	args := []any{"reason", reason, "sender", v.env.Sender.String(), "receiver", v.env.Receiver.String(),
		"message_id", v.env.MessageID, "box", Redact("box", v.env.Box)}
	if err != nil {
		args = append(args, "err", err)
	}
	p.log.Warn("incoming message rejected", args...)
	v.receipt = false
	v.events = append(v.events, Event{Kind: EventRejected, Peer: v.env.Sender.String(), MessageID: v.env.MessageID, Reason: reason})
}

// check runs the receiver steps for one envelope inside the batch's
// transaction. It returns an error only when the database fails.
func (p *Phone) check(ctx context.Context, tx *store.Tx, v *verdict, seen *batchSeen) error {
	env := v.env
	switch {
	case env.Receiver != p.id:
		p.reject(v, RejectNotForMe, nil)
		return nil
	case env.Sender == p.id:
		p.reject(v, RejectFromSelf, nil)
		return nil
	}
	// 1. The sender: known, not revoked, not blocked.
	c, err := tx.Contact(ctx, env.Sender.String())
	if errors.Is(err, store.ErrNotFound) && seen.lookupFailed[env.Sender] {
		v.ack = false
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		p.reject(v, RejectUnknownSender, nil)
		return nil
	}
	if err != nil {
		return err
	}
	if c.State == store.ContactRevoked {
		p.reject(v, RejectRevoked, nil)
		return nil
	}
	if c.Blocked {
		p.reject(v, RejectBlocked, nil)
		return nil
	}
	// 2. Replay and reflection: the nonce, incoming or outgoing.
	if seen.nonces[env.Nonce] {
		p.reject(v, RejectReplay, nil)
		return nil
	}
	if err := e2e.CheckNonce(ctx, tx, env.Nonce); errors.Is(err, e2e.ErrReplay) {
		p.reject(v, RejectReplay, nil)
		return nil
	} else if err != nil {
		return err
	}
	// 3. Open.
	keys, err := p.peerKeys(c)
	if err != nil {
		p.reject(v, RejectInvalid, err)
		return nil
	}
	h, s := e2e.FromEnvelope(env)
	m, md, err := e2e.Open(keys, h, s)
	if err != nil {
		if md == (e2e.Metadata{}) {
			p.reject(v, openReason(err), err)
			return nil
		}
		// Authentic but undecodable: remember it so it is not replayed, drop it.
		seen.nonces[env.Nonce] = true
		seen.ids[dedupKey{env.Sender, env.MessageID}] = true
		if err := tx.AddNonce(ctx, env.Nonce); err != nil {
			return err
		}
		if err := tx.AddIncoming(ctx, c.ID, env.MessageID); err != nil {
			return err
		}
		p.reject(v, RejectUnsupported, err)
		return nil
	}
	p.log.Debug("incoming message", "sender", c.ID, "message_id", env.MessageID, "type", fmt.Sprintf("0x%02x", m.Type()))
	// 4. Deduplication by (sender, message id); the nonce is new, so keep it.
	seen.nonces[env.Nonce] = true
	if err := tx.AddNonce(ctx, env.Nonce); err != nil {
		return err
	}
	key := dedupKey{env.Sender, env.MessageID}
	if seen.ids[key] {
		p.reject(v, RejectDuplicate, nil)
		return nil
	}
	dup, err := tx.HasIncoming(ctx, c.ID, env.MessageID)
	if err != nil {
		return err
	}
	if dup {
		p.reject(v, RejectDuplicate, nil)
		return nil
	}
	seen.ids[key] = true
	// 5. Store, in the batch's transaction.
	if err := tx.AddIncoming(ctx, c.ID, env.MessageID); err != nil {
		return err
	}
	if nick := cleanNickname(md.Nickname); nick != "" && nick != c.Nickname {
		// The contact is shown by its nickname until the user names it: the
		// paired desktop hears of the change with the message.
		c.Nickname = nick
		if err := tx.PutContact(ctx, c); err != nil {
			return err
		}
		if c, err = tx.Contact(ctx, c.ID); err != nil {
			return err
		}
		changed := c
		v.events = append(v.events, Event{Kind: EventContact, Peer: c.ID, Contact: &changed})
	}
	return p.apply(ctx, tx, c, v, m, md)
}

// openReason maps an error of e2e.Open to a rejection reason.
func openReason(err error) string {
	switch {
	case errors.Is(err, e2e.ErrMessageIDMismatch):
		return RejectIDMismatch
	case errors.Is(err, e2e.ErrDecrypt):
		return RejectDecrypt
	case errors.Is(err, e2e.ErrMissingMetadata):
		return RejectNoMetadata
	case errors.Is(err, e2e.ErrNotForMe), errors.Is(err, e2e.ErrWrongPeer):
		return RejectNotForMe
	case errors.Is(err, e2e.ErrFromSelf):
		return RejectFromSelf
	}
	return RejectInvalid
}
