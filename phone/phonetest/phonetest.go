// Package phonetest stands up real virtual phones (package phone) on a real
// Kurier backend (backend/backendtest) for the tests of the phone's
// sub-packages (webclient, control, bot) and of the desktop (app,
// app/phonelink, test/window): no fakes, loopback only. The phone's own
// tests cannot use it (it imports phone); they have helpers_test.go.
package phonetest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/backendtest"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
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

// Identity registers an identity with the directory of backendFile that
// announces features as its feature mask (0: none) and runs no phone: a
// peer whose app is older or smaller than Kurier's (no edits 0x100, no
// deletes 0x200, no reactions 0x400), for the sender's checks of the mask.
// Messages to it stay queued on the chat server.
func Identity(t testing.TB, backendFile string, features uint64) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	prov, err := provisioning.Load(backendFile)
	if err != nil {
		t.Fatal(err)
	}
	dc, err := dirclient.New(prov.Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, err := dc.Create(ctx, kp)
	if err != nil {
		t.Fatal(err)
	}
	if features != 0 {
		if err := dc.SetFeatureMask(ctx, id, kp, features); err != nil {
			t.Fatal(err)
		}
	}
	return id
}
