package phone

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	chatclient "github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/csp"
)

// maxBatch bounds the incoming messages handled in one transaction.
const maxBatch = 256

// Run connects the phone to the chat server and serves it until ctx ends:
// it resends the outbox, receives, stores and acknowledges incoming
// messages, and sends what the phone's methods queue. A chat server that is
// down at start is retried with back-off; the chat client reconnects by
// itself afterwards. Run returns nil when ctx ends, or the error that
// stopped the connection for good (another login of the same identity took
// over, the identity was revoked).
func (p *Phone) Run(ctx context.Context) error {
	p.runMu.Lock()
	if p.running {
		p.runMu.Unlock()
		return ErrRunning
	}
	p.running = true
	p.runMu.Unlock()
	defer func() {
		p.runMu.Lock()
		p.running = false
		p.runMu.Unlock()
	}()

	c, err := p.dial(ctx)
	if err != nil || c == nil {
		return err
	}
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		_ = c.Close()
		p.out.stop()
		wg.Wait()
	}()
	p.log.Info("connected to the chat server")
	if err := p.out.start(rctx, c); err != nil {
		return fmt.Errorf("phone: run: %w", err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Contacts revoked (or with new features) while the phone was away.
		if err := p.RefreshContacts(rctx); err != nil && rctx.Err() == nil {
			p.log.Warn("contact refresh failed", "err", err)
		}
	}()
	return p.receiveLoop(rctx, c)
}

// dial connects, retrying with back-off until ctx ends (then it returns nil, nil).
func (p *Phone) dial(ctx context.Context) (*chatclient.Client, error) {
	cfg, err := p.chatConfig()
	if err != nil {
		return nil, err
	}
	delay, maxDelay := p.opts.reconnectMin, p.opts.reconnectMax
	if delay <= 0 {
		delay = chatclient.DefaultReconnectMin
	}
	if maxDelay < delay {
		maxDelay = max(delay, chatclient.DefaultReconnectMax)
	}
	for {
		c, err := chatclient.Dial(ctx, cfg)
		if err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			return nil, nil
		}
		var ce *chatclient.CloseError
		if errors.As(err, &ce) && !ce.CanReconnect {
			return nil, fmt.Errorf("phone: connect: %w", err)
		}
		p.log.Info("chat server unreachable, retrying", "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return nil, nil
		case <-time.After(delay):
		}
		delay = min(2*delay, maxDelay)
	}
}

// WaitSynced waits until the phone runs, is connected and has received the
// chat server's whole offline queue (queue-send-complete).
func (p *Phone) WaitSynced(ctx context.Context) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		p.out.mu.Lock()
		c := p.out.client
		p.out.mu.Unlock()
		if c != nil {
			if err := c.WaitSynced(ctx); err != nil {
				return err
			}
			return p.drained(ctx)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// drained waits until the receive loop has handled every envelope the chat
// client has queued so far.
func (p *Phone) drained(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case p.syncReq <- done:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// receiveLoop hands incoming envelopes, in batches of what is already
// queued, to handleBatch until ctx ends or the client stops.
func (p *Phone) receiveLoop(ctx context.Context, c *chatclient.Client) error {
	in := c.Incoming()
	batch := make([]csp.Envelope, 0, maxBatch)
	for {
		select {
		case <-ctx.Done():
			return nil
		case done := <-p.syncReq:
			for {
				batch = batch[:0]
			drainAll:
				for len(batch) < maxBatch {
					select {
					case env, ok := <-in:
						if !ok {
							break drainAll
						}
						batch = append(batch, env)
					default:
						break drainAll
					}
				}
				if len(batch) == 0 {
					break
				}
				if err := p.handleBatch(ctx, c, batch); err != nil && ctx.Err() == nil {
					p.log.Error("incoming messages not stored; the server will deliver them again", "count", len(batch), "err", err)
				}
			}
			close(done)
		case env, ok := <-in:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("phone: chat connection: %w", c.Err())
			}
			batch = append(batch[:0], env)
		drain:
			for len(batch) < maxBatch {
				select {
				case env, ok := <-in:
					if !ok {
						break drain
					}
					batch = append(batch, env)
				default:
					break drain
				}
			}
			if err := p.handleBatch(ctx, c, batch); err != nil && ctx.Err() == nil {
				p.log.Error("incoming messages not stored; the server will deliver them again", "count", len(batch), "err", err)
			}
		}
	}
}
