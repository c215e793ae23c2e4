package webclient

import (
	"sync"

	"github.com/kurier/kurier/phone"
)

// feed is a subscription to the phone's events for one desktop. It belongs
// to a session and, while the session is parked for resume, outlives it: the
// events of the gap then reach the desktop after the resume.
type feed struct {
	unsubscribe func()
	signal      chan struct{}

	mu         sync.Mutex
	queue      []phone.Event
	limit      int // 0: unbounded (a live session drains it)
	overflowed bool
	closed     bool
}

// newFeed subscribes to p's events.
func newFeed(p *phone.Phone) *feed {
	f := &feed{signal: make(chan struct{}, 1)}
	f.unsubscribe = p.Subscribe(f.enqueue)
	return f
}

// enqueue takes a phone event without blocking (Subscribe's rule).
func (f *feed) enqueue(e phone.Event) {
	f.mu.Lock()
	switch {
	case f.closed || f.overflowed:
	case f.limit > 0 && len(f.queue) >= f.limit:
		f.overflowed, f.queue = true, nil
	default:
		f.queue = append(f.queue, e)
	}
	f.mu.Unlock()
	select {
	case f.signal <- struct{}{}:
	default:
	}
}

// take returns and removes the queued events.
func (f *feed) take() []phone.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.queue
	f.queue = nil
	return q
}

// park bounds the queue while no session drains it.
func (f *feed) park(limit int) {
	f.mu.Lock()
	f.limit = limit
	f.mu.Unlock()
}

// unpark lifts the bound; it returns the number of events queued while
// parked, and false if the queue overflowed (events were lost).
func (f *feed) unpark() (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limit = 0
	return len(f.queue), !f.overflowed
}

// dropFirst discards the n oldest queued events (the gap of a connection
// that was not resumed: the desktop loads afresh).
func (f *feed) dropFirst(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n = min(n, len(f.queue))
	f.queue = append(f.queue[:0:0], f.queue[n:]...)
}

// close unsubscribes.
func (f *feed) close() {
	f.unsubscribe()
	f.mu.Lock()
	f.closed, f.queue = true, nil
	f.mu.Unlock()
}
