package chat

import (
	"context"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// Writer tuning.
const (
	// backlogPage is how many queued messages one backlog query returns.
	backlogPage = 64
	// flushBytes is how much the writer gathers before one socket write.
	flushBytes = 32 << 10
	// keepSliceCap is the largest pending-list capacity kept across bursts;
	// larger lists are dropped so that an idle connection stays small.
	keepSliceCap = 16
)

// writeRun is one writer goroutine: it runs first (the backlog flush after
// login), then writes whatever is pending until nothing is, and exits. Once
// the connection is killed it writes the close-error, if any, and closes the
// socket, which ends the reader; it then leaves writing set so that no other
// writer starts.
func (c *conn) writeRun(first func(w *frameWriter) error) {
	w := &frameWriter{c: c}
	if first != nil {
		if err := first(w); err != nil {
			if c.ctx.Err() == nil {
				c.log.Warn("backlog delivery failed", "err", err)
			}
			c.cancel()
		}
	}
	for {
		c.mu.Lock()
		if c.ctx.Err() != nil {
			c.mu.Unlock()
			c.finish(w)
			_ = c.nc.Close()
			return
		}
		poll := c.pollPending && c.live
		if len(c.acks)+len(c.echoes)+len(c.deliveries) == 0 && !c.queueComplete && !poll {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		if poll {
			if err := c.catchUp(); err != nil {
				if c.ctx.Err() == nil {
					c.log.Warn("queue read failed", "err", err)
				}
				c.cancel()
				continue
			}
		}
		if err := c.writePending(w); err != nil {
			if c.ctx.Err() == nil {
				c.log.Info("write failed", "err", err)
			}
			c.cancel()
		}
	}
}

// finish writes the close-error of a killed connection, if it has one.
func (c *conn) finish(w *frameWriter) {
	c.mu.Lock()
	ce := c.closeErr
	c.mu.Unlock()
	if ce == nil && c.srv.shuttingDown.Load() {
		ce = &csp.CloseError{CanReconnect: true, Message: msgShuttingDown}
	}
	if ce == nil {
		return
	}
	if w.buf != nil {
		w.buf = w.buf[:0] // whatever a failed write left behind
	}
	if err := w.add(*ce); err != nil {
		return
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(closeGrace))
	_, _ = c.nc.Write(w.buf)
	w.release()
	c.log.Info("close-error sent", "can_reconnect", ce.CanReconnect, "message", ce.Message)
}

// flushBacklog delivers the queued messages page by page, then switches the
// connection to live delivery. Each page is read under c.mu so that the
// batcher's live offers and the backlog neither overlap nor leave a gap: a
// message committed before the last query is in it, one committed after is
// offered live with a seq above the cursor.
func (c *conn) flushBacklog(w *frameWriter) error {
	receiver := c.id.String()
	// Acks read from this identity's previous connection may still wait in
	// the batcher; reading the backlog before they commit would deliver
	// acknowledged messages again. One empty transaction is the barrier.
	if err := c.srv.batch.exec(c.ctx, func(context.Context, queueTx) error { return nil }); err != nil {
		return err
	}
	for {
		c.mu.Lock()
		page, err := c.srv.st.backlog(c.ctx, receiver, c.cursor, c.srv.cfg.Now().UnixMilli(), backlogPage)
		if err != nil {
			c.mu.Unlock()
			return err
		}
		if len(page) < backlogPage {
			for _, m := range page {
				c.deliveries = append(c.deliveries, delivery(m))
				c.outBytes += len(m.envelope)
				c.cursor = m.seq
			}
			c.live, c.queueComplete = true, true
			c.mu.Unlock()
			return nil // the writer goes on with the pending frames
		}
		c.cursor = page[len(page)-1].seq
		c.mu.Unlock()
		for _, m := range page {
			if err := w.addDelivery(m.envelope); err != nil {
				return err
			}
		}
		if err := w.flush(); err != nil {
			return err
		}
		w.release()
		c.srv.m.delivered.Add(uint64(len(page)))
		// Acks and echo answers must not wait for a long backlog.
		if err := c.writePending(w); err != nil {
			return err
		}
	}
}

// offer hands a committed message to a live connection. Messages the backlog
// query already covered are skipped; a receiver too far behind is
// disconnected (its messages stay queued for the next login).
//
// In a cluster another node may have committed messages for this receiver
// that are not offered here: a message is taken only when it is the very
// next seq and no read of the queue runs; otherwise the writer reads the
// queue past the cursor (poll), which finds it and any it would skip.
func (c *conn) offer(d delivery) {
	c.mu.Lock()
	if !c.live || (d.seq != 0 && d.seq <= c.cursor) || c.ctx.Err() != nil {
		c.mu.Unlock()
		return
	}
	if c.srv.cluster.st != nil && d.seq != 0 && (c.polling || d.seq != c.cursor+1) {
		c.pollLocked()
		c.mu.Unlock()
		return
	}
	if len(c.deliveries) >= c.srv.cfg.MaxOutbox || c.outBytes+len(d.envelope) > c.srv.cfg.MaxOutboxBytes {
		n := len(c.deliveries)
		c.mu.Unlock()
		c.log.Warn("receiver too slow, disconnecting", "pending", n)
		c.srv.m.slow.Add(1)
		c.kill(nil)
		return
	}
	c.deliveries = append(c.deliveries, d)
	c.outBytes += len(d.envelope)
	if d.seq != 0 {
		c.cursor = d.seq
	}
	c.mu.Unlock()
	c.wake()
}

// poll asks the writer to read the queue past the cursor: another node
// committed messages for this receiver (cluster), or the listener
// reconnected and something may have been missed.
func (c *conn) poll() {
	c.mu.Lock()
	c.pollLocked()
	c.mu.Unlock()
}

// pollLocked is poll with c.mu held. Before the backlog flush has made the
// connection live it only marks the poll: the flush reads the whole queue,
// and the writer reads past it afterwards. Starting a writer then would
// take the flush's place (one writer at a time), and the login would never
// get its first frame (a resync or another node's notice arriving between
// the session claim and the flush did that).
func (c *conn) pollLocked() {
	c.pollPending = true
	if c.live {
		c.startWriterLocked(nil)
	}
}

// catchUp reads one page of the queue past the cursor into the pending
// deliveries, without holding c.mu during the query; offers that arrive
// meanwhile ask for another read. A full page asks for the next one.
func (c *conn) catchUp() error {
	c.mu.Lock()
	c.pollPending, c.polling = false, true
	from := c.cursor
	c.mu.Unlock()
	c.srv.m.clusterPolls.Add(1)
	page, err := c.srv.st.backlog(c.ctx, c.id.String(), from, c.srv.cfg.Now().UnixMilli(), backlogPage)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.polling = false
	if err != nil {
		return err
	}
	for _, m := range page {
		if m.seq > c.cursor {
			c.deliveries = append(c.deliveries, delivery(m))
			c.outBytes += len(m.envelope)
			c.cursor = m.seq
		}
	}
	if len(page) == backlogPage {
		c.pollPending = true
	}
	return nil
}

// writePending writes whatever is pending: acks, echo responses, deliveries,
// and queue-send-complete after the last backlog page.
func (c *conn) writePending(w *frameWriter) error {
	c.mu.Lock()
	acks, echoes, dels, qsc := c.acks, c.echoes, c.deliveries, c.queueComplete
	c.acks, c.echoes, c.deliveries, c.outBytes, c.queueComplete = nil, nil, nil, 0, false
	c.mu.Unlock()
	if len(acks)+len(echoes)+len(dels) == 0 && !qsc {
		return nil
	}
	for _, a := range acks {
		if err := w.add(a); err != nil {
			return err
		}
	}
	for _, e := range echoes {
		if err := w.add(csp.EchoResponse{Data: e}); err != nil {
			return err
		}
	}
	for _, d := range dels {
		if err := w.addDelivery(d.envelope); err != nil {
			return err
		}
	}
	if qsc {
		if err := w.add(csp.QueueSendComplete{}); err != nil {
			return err
		}
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.release()
	c.release(len(acks))
	c.srv.m.delivered.Add(uint64(len(dels)))
	if qsc {
		c.log.Debug("queue-send-complete sent")
	}
	c.recycle(acks, dels)
	return nil
}

// recycle keeps small pending lists for the next round and drops big ones.
func (c *conn) recycle(acks []csp.ServerAck, dels []delivery) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.acks == nil && cap(acks) <= keepSliceCap {
		c.acks = acks[:0]
	}
	if c.deliveries == nil && cap(dels) <= keepSliceCap {
		clear(dels)
		c.deliveries = dels[:0]
	}
}

// frameWriter seals frames into one buffer and writes it in one call. The
// buffer comes from the server's pool for one round of writes and goes back
// afterwards, so an idle connection holds none.
type frameWriter struct {
	c       *conn
	buf     []byte
	pooled  *[]byte
	scratch [64]byte
}

// grab takes a write buffer from the pool if the writer holds none.
func (w *frameWriter) grab() {
	if w.pooled == nil {
		w.pooled = w.c.srv.writeBufs.Get().(*[]byte)
		w.buf = (*w.pooled)[:0]
	}
}

// release returns the write buffer to the pool.
func (w *frameWriter) release() {
	if w.pooled != nil {
		if cap(w.buf) <= 2*flushBytes {
			*w.pooled = w.buf[:0]
		}
		w.c.srv.writeBufs.Put(w.pooled)
		w.pooled, w.buf = nil, nil
	}
}

// add seals one payload.
func (w *frameWriter) add(p csp.Payload) error {
	w.grab()
	var err error
	if w.buf, err = w.c.sess.SealPayload(w.buf, w.scratch[:0], p); err != nil {
		return err
	}
	return w.maybeFlush()
}

// addDelivery seals one incoming-message frame around a stored envelope.
func (w *frameWriter) addDelivery(envelope []byte) error {
	w.grab()
	c := make([]byte, 0, csp.ContainerHeaderLen+len(envelope))
	c = append(c, byte(csp.TypeIncomingMessage), 0, 0, 0)
	c = append(c, envelope...)
	var err error
	if w.buf, err = w.c.sess.SealFrame(w.buf, c); err != nil {
		return err
	}
	return w.maybeFlush()
}

func (w *frameWriter) maybeFlush() error {
	if len(w.buf) >= flushBytes {
		return w.flush()
	}
	return nil
}

// flush writes the gathered frames.
func (w *frameWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if err := w.c.ctx.Err(); err != nil {
		return err
	}
	if err := w.c.nc.SetWriteDeadline(time.Now().Add(w.c.srv.cfg.WriteTimeout)); err != nil {
		return err
	}
	if _, err := w.c.nc.Write(w.buf); err != nil {
		return fmt.Errorf("chat: write: %w", err)
	}
	w.buf = w.buf[:0]
	return nil
}
