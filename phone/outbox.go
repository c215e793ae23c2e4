package phone

import (
	"context"
	"errors"
	"sync"
	"time"

	chatclient "github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/csp"
)

// sender sends the outbox: one worker per receiver while that receiver has
// entries, so messages to one peer leave in order and one slow peer does
// not hold up the others. Entries stay in the database until the chat
// server acknowledges them; a restart sends them again, byte for byte.
type sender struct {
	p *Phone

	mu     sync.Mutex
	ctx    context.Context
	client *chatclient.Client // nil while the phone does not run
	queues map[string][]store.OutboxEntry
	active map[string]bool
	known  map[int64]bool // outbox seqs queued or in flight
	wg     sync.WaitGroup
}

func (s *sender) init(p *Phone) {
	s.p = p
	s.reset()
}

func (s *sender) reset() {
	s.queues = make(map[string][]store.OutboxEntry)
	s.active = make(map[string]bool)
	s.known = make(map[int64]bool)
}

// start attaches a connected client and queues every stored entry.
func (s *sender) start(ctx context.Context, c *chatclient.Client) error {
	s.mu.Lock()
	s.ctx, s.client = ctx, c
	s.mu.Unlock()
	all, err := s.p.st.Outbox(ctx)
	if err != nil {
		return err
	}
	entries := all[:0]
	for _, e := range all {
		if s.p.opts.now().Sub(e.CreatedAt) > s.p.opts.outboxExpiry {
			if err := s.p.failOutbox(ctx, e); err != nil {
				return err
			}
			continue
		}
		entries = append(entries, e)
	}
	if len(entries) > 0 {
		s.p.log.Info("resending the outbox", "count", len(entries))
	}
	s.enqueue(entries...)
	return nil
}

// stop detaches the client and waits for the workers; ctx (Run's) must be
// cancelled first so that pending Sends return.
func (s *sender) stop() {
	s.mu.Lock()
	s.client = nil
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	s.reset()
	s.mu.Unlock()
}

// enqueue hands stored entries to the workers; without a client they wait
// in the database for the next Run.
func (s *sender) enqueue(es ...store.OutboxEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		return
	}
	for _, e := range es {
		if s.known[e.Seq] {
			continue
		}
		s.known[e.Seq] = true
		s.queues[e.Receiver] = append(s.queues[e.Receiver], e)
		if !s.active[e.Receiver] {
			s.active[e.Receiver] = true
			s.wg.Add(1)
			go s.work(e.Receiver)
		}
	}
}

// work sends the entries of one receiver in order until none is left.
func (s *sender) work(receiver string) {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		q := s.queues[receiver]
		if len(q) == 0 || s.client == nil {
			delete(s.queues, receiver)
			s.active[receiver] = false
			s.mu.Unlock()
			return
		}
		e := q[0]
		s.queues[receiver] = q[1:]
		ctx, c := s.ctx, s.client
		s.mu.Unlock()

		if err := s.send(ctx, c, e); err != nil {
			if ctx.Err() == nil {
				s.p.log.Warn("outbox entry not sent; it stays for the next connection", "receiver", receiver, "message_id", e.MessageID, "err", err)
			}
			s.mu.Lock()
			s.active[receiver] = false
			for _, r := range s.queues[receiver] {
				delete(s.known, r.Seq)
			}
			delete(s.known, e.Seq)
			delete(s.queues, receiver)
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		delete(s.known, e.Seq)
		s.mu.Unlock()
	}
}

// send sends one entry, waits for the server ack and completes it.
func (s *sender) send(ctx context.Context, c *chatclient.Client, e store.OutboxEntry) error {
	env, err := csp.DecodeEnvelope(e.Envelope)
	if err != nil {
		return err
	}
	if err := c.Send(ctx, env); err != nil && !errors.Is(err, chatclient.ErrDuplicate) {
		return err
	}
	s.p.log.Debug("outbox entry acknowledged", "receiver", e.Receiver, "message_id", e.MessageID)
	return s.p.completeOutbox(ctx, e)
}

// completeOutbox removes an acknowledged entry and marks its message sent
// once every receiver's copy is acknowledged.
func (p *Phone) completeOutbox(ctx context.Context, e store.OutboxEntry) error {
	var (
		changed bool
		msg     store.Message
	)
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		seq, err := tx.CompleteOutbox(ctx, e.Seq)
		if err != nil || seq == 0 {
			return err
		}
		if changed, err = tx.SetMessageState(ctx, seq, store.StateSent, p.opts.now()); err != nil || !changed {
			return err
		}
		msg, err = tx.MessageBySeq(ctx, seq)
		return err
	})
	if err != nil {
		return err
	}
	if changed {
		p.emit(Event{Kind: EventMessageState, Conversation: msg.Conversation, MessageID: msg.MessageID, Message: &msg, State: msg.State})
	}
	return nil
}

// failOutbox gives up an entry that waited longer than the outbox expiry:
// it is removed and its message marked failed (the user may send it again).
func (p *Phone) failOutbox(ctx context.Context, e store.OutboxEntry) error {
	var (
		changed bool
		msg     store.Message
	)
	err := p.st.InTx(ctx, func(tx *store.Tx) error {
		seq, err := tx.FailOutbox(ctx, e.Seq)
		if err != nil || seq == 0 {
			return err
		}
		if changed, err = tx.SetMessageState(ctx, seq, store.StateFailed, p.opts.now()); err != nil || !changed {
			return err
		}
		msg, err = tx.MessageBySeq(ctx, seq)
		return err
	})
	if err != nil {
		return err
	}
	p.log.Warn("outgoing message given up after the outbox expiry", "receiver", e.Receiver, "message_id", e.MessageID, "queued", e.CreatedAt)
	if changed {
		p.emit(Event{Kind: EventMessageState, Conversation: msg.Conversation, MessageID: msg.MessageID, Message: &msg, State: msg.State})
	}
	return nil
}

// Flush waits until the chat server has acknowledged every outbox entry
// (the phone must be running), or ctx ends.
func (p *Phone) Flush(ctx context.Context) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		n, err := p.st.OutboxLen(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
