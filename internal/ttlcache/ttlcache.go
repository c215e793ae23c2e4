// Package ttlcache keeps one value read from a store that other nodes write
// too (a count, a total) for a while, so that a metrics scrape or a check
// on every request does not cost a query or a listing each time.
package ttlcache

import (
	"context"
	"sync"
	"time"
)

// Value caches one T. The zero value is ready; TTL must be set before use.
type Value[T any] struct {
	// TTL is how long a read value is kept. A failed read, too, is retried
	// only after TTL.
	TTL time.Duration

	mu sync.Mutex
	at time.Time
	v  T
}

// Get returns the cached value, or reads it anew with read when it is
// older than TTL. On a failed read it returns the last value with the error.
func (c *Value[T]) Get(ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.TTL {
		return c.v, nil
	}
	v, err := read(ctx)
	c.at = time.Now()
	if err != nil {
		return c.v, err
	}
	c.v = v
	return v, nil
}

// Update applies a change this node made to the cached value at once
// (other nodes' changes show with the next read).
func (c *Value[T]) Update(f func(T) T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.v = f(c.v)
}
