package chat

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// reqKind is what a batcher request asks for.
type reqKind uint8

const (
	// reqEnqueue stores (or, for no-queuing messages, just orders) a message.
	reqEnqueue reqKind = iota
	// reqDelete deletes a message its receiver acknowledged.
	reqDelete
	// reqExec runs a function inside the next transaction (purges).
	reqExec
)

// message is one accepted outgoing message on its way through the batcher.
type message struct {
	sender, receiver csp.ID
	messageID        uint64
	flags            csp.Flags
	expiresAt        int64  // unix milliseconds
	envelope         []byte // the envelope as it will be delivered; never modified
	from             *conn  // the sender's connection, for the server ack
	relay            bool   // no-queuing, but stored briefly for another node (cluster)

	// Set by the batcher before onCommit.
	seq      int64 // row seq if stored
	stored   bool  // a new row was written
	rejected error // not stored and not to be acked (queue full)
}

// released is a batch on its way to the releaser.
type released struct {
	batch  []request
	failed bool
}

// request is one unit of work for the batcher.
type request struct {
	kind reqKind
	msg  *message // reqEnqueue

	receiver, sender csp.ID // reqDelete
	messageID        uint64 // reqDelete

	exec func(ctx context.Context, tx queueTx) error // reqExec
	done chan error                                  // reqExec: the commit's outcome
}

// batcher is the single writer of the queue: it gathers requests from every
// connection (whatever arrived while the previous commit ran, up to maxBatch,
// optionally lingering a little for more), commits them in one transaction
// (group commit), and only then hands the batch to a releaser goroutine that
// calls onCommit, which sends the server acks and the live deliveries in
// commit order. The next commit starts while the releaser works.
type batcher struct {
	st       queueStore
	log      *slog.Logger
	in       chan request
	done     chan struct{} // closed when run has returned
	maxBatch int
	linger   time.Duration
	maxQueue int
	maxBytes int64 // per receiver

	m        *metrics
	onCommit func([]request) // called by the releaser after a commit, in order
	onFail   func([]request) // called by the releaser for a batch that failed
	released chan released   // committed (or failed) batches for the releaser

	// depths caches the per-receiver queue depth (count and bytes) for the
	// maxQueue and maxBytes bounds;
	// only the batcher goroutine touches it.
	depths map[csp.ID]queueDepth
	// shared: other nodes write the same queue, so depths is trusted for
	// sharedDepthTTL only (the bounds are cluster-wide, give or take what
	// the other nodes queue in that time); depthsAt is its last clearing.
	shared   bool
	depthsAt time.Time
}

// sharedDepthTTL is how long a node trusts its counts of the receivers'
// queues when other nodes write them too.
const sharedDepthTTL = time.Second

func newBatcher(st queueStore, log *slog.Logger, m *metrics, maxBatch int, linger time.Duration, maxQueue int, maxBytes int64) *batcher {
	return &batcher{
		st: st, log: log, m: m, maxBatch: maxBatch, linger: linger, maxQueue: maxQueue, maxBytes: maxBytes,
		in:       make(chan request, maxBatch),
		done:     make(chan struct{}),
		released: make(chan released, 2),
		depths:   make(map[csp.ID]queueDepth),
	}
}

// submit hands r to the batcher; it blocks while the batcher is saturated.
func (b *batcher) submit(ctx context.Context, r request) error {
	select {
	case b.in <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.done:
		return ErrClosed
	}
}

// exec runs fn in the next transaction and waits for its commit.
func (b *batcher) exec(ctx context.Context, fn func(ctx context.Context, tx queueTx) error) error {
	done := make(chan error, 1)
	if err := b.submit(ctx, request{kind: reqExec, exec: fn, done: done}); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-b.done:
		// run may have committed it on the way out.
		select {
		case err := <-done:
			return err
		default:
			return ErrClosed
		}
	}
}

// run commits batches until stop is closed, then commits whatever is still
// queued and returns. Callers stop submitting enqueues before closing stop.
func (b *batcher) run(stop <-chan struct{}) {
	defer close(b.done)
	relDone := make(chan struct{})
	go func() {
		defer close(relDone)
		for r := range b.released {
			if r.failed {
				b.onFail(r.batch)
			} else {
				b.onCommit(r.batch)
			}
		}
	}()
	defer func() {
		close(b.released)
		<-relDone
	}()
	var timer *time.Timer
	for {
		// A fresh slice each time: the releaser may still hold the last one.
		batch := make([]request, 0, 64)
		select {
		case r := <-b.in:
			batch = append(batch, r)
		case <-stop:
			b.drain(batch)
			return
		}
		batch = b.fill(batch)
		if len(batch) < b.maxBatch && b.linger > 0 {
			if timer == nil {
				timer = time.NewTimer(b.linger)
			} else {
				timer.Reset(b.linger)
			}
		linger:
			for len(batch) < b.maxBatch {
				select {
				case r := <-b.in:
					batch = append(batch, r)
					batch = b.fill(batch)
				case <-timer.C:
					break linger
				case <-stop:
					break linger
				}
			}
			timer.Stop()
		}
		b.commit(batch)
	}
}

// fill takes whatever is queued without waiting, up to maxBatch.
func (b *batcher) fill(batch []request) []request {
	for len(batch) < b.maxBatch {
		select {
		case r := <-b.in:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// drain commits everything still queued when the batcher stops.
func (b *batcher) drain(batch []request) {
	for {
		batch = b.fill(batch)
		if len(batch) == 0 {
			return
		}
		b.commit(batch)
		batch = make([]request, 0, 64)
	}
}

// commit applies one batch in one transaction and reports it.
func (b *batcher) commit(batch []request) {
	// The batch must reach the disk even while the server shuts down, so
	// the transaction does not inherit a cancellable context.
	ctx := context.Background()
	start := time.Now()
	delta, err := b.apply(ctx, batch)
	for _, r := range batch {
		if r.kind == reqExec {
			r.done <- err
		}
	}
	if err != nil {
		clear(b.depths)
		b.log.Error("queue commit failed", "requests", len(batch), "err", err)
		b.released <- released{batch: batch, failed: true}
		return
	}
	b.m.addDepth(delta)
	b.m.commitNs.Add(int64(time.Since(start)))
	b.m.commits.Add(1)
	b.m.committed.Add(uint64(len(batch)))
	b.log.Debug("queue committed", "requests", len(batch), "took", time.Since(start))
	b.released <- released{batch: batch}
}

// apply runs one batch in one transaction and returns by how much it changed
// the number of queued messages (purges excepted: their callers count).
// Inserts and deletes are gathered and written together (one round trip on
// PostgreSQL); a purge first writes what was gathered before it.
func (b *batcher) apply(ctx context.Context, batch []request) (int64, error) {
	if b.shared && time.Since(b.depthsAt) > sharedDepthTTL {
		clear(b.depths)
		b.depthsAt = time.Now()
	}
	tx, err := b.st.begin(ctx)
	if err != nil {
		return 0, err
	}
	if err := b.loadDepths(ctx, tx, batch); err != nil {
		tx.rollback()
		return 0, err
	}
	var (
		delta int64
		ops   []writeOp
	)
	flush := func() error {
		d, err := b.write(ctx, tx, batch, ops)
		delta += d
		ops = ops[:0]
		return err
	}
	for i, r := range batch {
		switch r.kind {
		case reqEnqueue:
			op, ok, err := b.admit(ctx, tx, r.msg)
			if err != nil {
				tx.rollback()
				return 0, err
			}
			if ok {
				op.ref = i
				ops = append(ops, op)
			}
		case reqDelete:
			ops = append(ops, writeOp{del: true, receiver: r.receiver.String(), sender: r.sender.String(), messageID: r.messageID, ref: i})
		case reqExec:
			if err := flush(); err != nil {
				tx.rollback()
				return 0, err
			}
			clear(b.depths) // purges change depths wholesale; reload lazily
			if err := r.exec(ctx, tx); err != nil {
				tx.rollback()
				return 0, err
			}
		}
	}
	if err := flush(); err != nil {
		tx.rollback()
		return 0, err
	}
	return delta, tx.commit()
}

// loadDepths reads, in one query, the depths of the batch's receivers that
// the cache does not hold.
func (b *batcher) loadDepths(ctx context.Context, tx queueTx, batch []request) error {
	var need []string
	seen := make(map[csp.ID]bool)
	for _, r := range batch {
		if r.kind != reqEnqueue || seen[r.msg.receiver] {
			continue
		}
		seen[r.msg.receiver] = true
		if _, ok := b.depths[r.msg.receiver]; !ok {
			need = append(need, r.msg.receiver.String())
		}
	}
	if len(need) == 0 {
		return nil
	}
	got, err := tx.depths(ctx, need)
	if err != nil {
		return err
	}
	for id := range seen {
		if _, ok := b.depths[id]; !ok {
			b.depths[id] = got[id.String()]
		}
	}
	return nil
}

// admit decides whether m goes into the queue: a no-queuing message never
// does, nor one for a receiver whose queue is full (m.rejected says so).
func (b *batcher) admit(ctx context.Context, tx queueTx, m *message) (writeOp, bool, error) {
	if m.flags.Has(csp.FlagNoQueuing) && !m.relay {
		return writeOp{}, false, nil // delivered live or dropped, never stored
	}
	d, ok := b.depths[m.receiver]
	if !ok {
		// Unknown since a purge or a delete earlier in this batch.
		got, err := tx.depths(ctx, []string{m.receiver.String()})
		if err != nil {
			return writeOp{}, false, err
		}
		d = got[m.receiver.String()]
	}
	if d.n >= b.maxQueue || d.bytes+int64(len(m.envelope)) > b.maxBytes {
		m.rejected = fmt.Errorf("%w: %s holds %d messages, %d bytes", ErrQueueFull, m.receiver, d.n, d.bytes)
		b.depths[m.receiver] = d
		return writeOp{}, false, nil
	}
	// Counted now; a duplicate is taken off again in write.
	b.depths[m.receiver] = queueDepth{n: d.n + 1, bytes: d.bytes + int64(len(m.envelope))}
	return writeOp{
		receiver: m.receiver.String(), sender: m.sender.String(), messageID: m.messageID,
		expiresAt: m.expiresAt, envelope: m.envelope, relay: m.relay,
	}, true, nil
}

// write applies the gathered ops in lock order and reports the results to
// their messages; it returns the change in queued messages.
func (b *batcher) write(ctx context.Context, tx queueTx, batch []request, ops []writeOp) (int64, error) {
	if len(ops) == 0 {
		return 0, nil
	}
	sortForLocks(ops)
	if err := tx.write(ctx, ops); err != nil {
		return 0, err
	}
	var delta int64
	for _, op := range ops {
		r := batch[op.ref]
		switch {
		case op.del && op.applied:
			// The deleted message's size is not known here: reload lazily.
			delete(b.depths, r.receiver)
			delta--
		case op.del:
		case op.applied:
			r.msg.seq, r.msg.stored = op.seq, true
			delta++
		default:
			if d, ok := b.depths[r.msg.receiver]; ok {
				b.depths[r.msg.receiver] = queueDepth{n: d.n - 1, bytes: d.bytes - int64(len(r.msg.envelope))}
			}
		}
	}
	return delta, nil
}
