package phone

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
)

// outMsg is one E2E message to one receiver.
type outMsg struct {
	to  store.Contact
	msg e2e.Message
}

// newMessageID draws a random non-zero message id.
func (p *Phone) newMessageID() (uint64, error) {
	var b [8]byte
	for {
		if _, err := io.ReadFull(p.opts.rand, b[:]); err != nil {
			return 0, fmt.Errorf("phone: message id: %w", err)
		}
		if id := binary.LittleEndian.Uint64(b[:]); id != 0 {
			return id, nil
		}
	}
}

// seal encrypts m for one receiver and encodes its envelope.
func (p *Phone) seal(to store.Contact, messageID uint64, m e2e.Message) (csp.Envelope, []byte, error) {
	keys, err := p.peerKeys(to)
	if err != nil {
		return csp.Envelope{}, nil, err
	}
	h := e2e.Header{Sender: p.id, Receiver: keys.Peer, MessageID: messageID, CreatedAt: p.opts.now(),
		Flags: e2e.SendFlags(m), Nickname: p.Nickname()}
	s, err := e2e.Seal(p.opts.rand, keys, h, m)
	if err != nil {
		return csp.Envelope{}, nil, fmt.Errorf("phone: seal: %w", err)
	}
	env, err := e2e.ToEnvelope(h, s)
	if err != nil {
		return csp.Envelope{}, nil, fmt.Errorf("phone: seal: %w", err)
	}
	b, err := env.AppendTo(nil)
	if err != nil {
		return csp.Envelope{}, nil, fmt.Errorf("phone: seal: %w", err)
	}
	return env, b, nil
}

// queue seals outs (all with messageID) and, in one transaction, stores rec
// (the message as the conversation shows it, when not nil), every nonce and
// every envelope in the outbox — before anything leaves the phone. It then
// hands the entries to the sender and returns the stored message.
func (p *Phone) queue(ctx context.Context, messageID uint64, outs []outMsg, rec *store.Message, kind store.ConversationKind) (store.Message, error) {
	type sealed struct {
		env   csp.Envelope
		bytes []byte
		to    string
	}
	all := make([]sealed, 0, len(outs))
	for _, o := range outs {
		env, b, err := p.seal(o.to, messageID, o.msg)
		if err != nil {
			return store.Message{}, err
		}
		all = append(all, sealed{env: env, bytes: b, to: o.to.ID})
	}
	var (
		entries []store.OutboxEntry
		msg     store.Message
	)
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		var msgSeq int64
		if rec != nil {
			r := *rec
			r.Sender, r.MessageID, r.Outgoing, r.State = p.self.ID, messageID, true, store.StateSending
			if r.CreatedAt.IsZero() {
				r.CreatedAt = p.opts.now()
			}
			if len(all) == 0 {
				r.State = store.StateSent // a group with no other member
			}
			var err error
			if msgSeq, err = tx.AddMessage(ctx, kind, r); err != nil {
				return err
			}
			if msg, err = tx.MessageBySeq(ctx, msgSeq); err != nil {
				return err
			}
		}
		entries = entries[:0]
		for _, s := range all {
			if err := tx.AddOutgoingNonce(ctx, s.env.Nonce); err != nil {
				return err
			}
			e := store.OutboxEntry{Receiver: s.to, MessageID: messageID, Envelope: s.bytes, MessageSeq: msgSeq}
			seq, err := tx.AddOutbox(ctx, e)
			if err != nil {
				return err
			}
			e.Seq = seq
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return store.Message{}, fmt.Errorf("phone: queue message: %w", err)
	}
	p.out.enqueue(entries...)
	return msg, nil
}

// sendControl queues a control message (receipt, group management) to one
// contact; nothing is shown in a conversation.
func (p *Phone) sendControl(ctx context.Context, to store.Contact, m e2e.Message) error {
	id, err := p.newMessageID()
	if err != nil {
		return err
	}
	_, err = p.queue(ctx, id, []outMsg{{to: to, msg: m}}, nil, "")
	return err
}

// sendLive sends a no-queue, no-ack message (a typing indicator) now: its
// nonce is stored first; it is not kept if the phone is offline.
func (p *Phone) sendLive(ctx context.Context, to store.Contact, m e2e.Message) error {
	id, err := p.newMessageID()
	if err != nil {
		return err
	}
	env, _, err := p.seal(to, id, m)
	if err != nil {
		return err
	}
	p.out.mu.Lock()
	c := p.out.client
	p.out.mu.Unlock()
	if c == nil {
		return ErrNotConnected
	}
	if err := p.st.AddOutgoingNonce(ctx, env.Nonce); err != nil {
		return fmt.Errorf("phone: send: %w", err)
	}
	if err := c.Send(ctx, env); err != nil {
		return fmt.Errorf("phone: send: %w", err)
	}
	return nil
}
