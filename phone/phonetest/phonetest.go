// Package phonetest stands up real virtual phones (package phone) on a real
// Kurier backend (backend/backendtest) for the tests of the phone's
// sub-packages (webclient, control, bot) and of the desktop (app,
// app/phonelink, test/window): no fakes, loopback only. The phone's own
// tests cannot use it (it imports phone); they have helpers_test.go.
package phonetest

import (
	"context"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/backendtest"
	"github.com/kurier/kurier/phone"
)

// Timeout bounds every wait of a test.
const Timeout = 30 * time.Second

// Backend starts a whole backend on loopback for the test and returns the
// path of its backend.json.
func Backend(t testing.TB) string {
	t.Helper()
	_, path := backendtest.Start(t)
	return path
}

// Phone initializes a phone on backendFile, runs it until the end of the
// test and returns it with a channel of its events.
func Phone(t testing.TB, backendFile, nickname string) (*phone.Phone, <-chan phone.Event) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	dir := t.TempDir()
	if _, err := phone.Init(ctx, dir, backendFile, nickname); err != nil {
		t.Fatal(err)
	}
	p, err := phone.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan phone.Event, 10000)
	p.Subscribe(func(e phone.Event) { events <- e })
	rctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(rctx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		_ = p.Close()
	})
	if err := p.WaitSynced(ctx); err != nil {
		t.Fatal(err)
	}
	return p, events
}

// Wait returns the first event from events that matches, or fails the test.
func Wait(t testing.TB, events <-chan phone.Event, what string, match func(phone.Event) bool) phone.Event {
	t.Helper()
	timer := time.NewTimer(Timeout)
	defer timer.Stop()
	for {
		select {
		case e := <-events:
			if match(e) {
				return e
			}
		case <-timer.C:
			t.Fatalf("no event: %s", what)
			return phone.Event{}
		}
	}
}

// Befriend makes a and b each other's contacts (keys from the directory).
func Befriend(t testing.TB, a, b *phone.Phone) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}
}
