package world_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/app/world"
)

const timeout = 60 * time.Second

// TestDemoWorld starts the embedded world and a desktop on it twice (a
// restart reuses the phones): the desktop pairs by itself, shows the bots and
// the group, and the echo bot answers.
func TestDemoWorld(t *testing.T) {
	dir := t.TempDir()
	for round := range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		w, err := world.Start(ctx, world.Config{DataDir: filepath.Join(dir, "world")})
		if err != nil {
			t.Fatal(err)
		}
		d, err := app.Start(ctx, app.Config{DataDir: filepath.Join(dir, "desktop"), Mode: app.ModeWeb,
			Signaling: w.Signaling(), World: app.WorldDemo, AutoPair: w.Pair})
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var echoed bool
		connected := make(chan struct{}, 1)
		var pairingShown []app.LinkStatus
		d.Hub.Subscribe(func(ev app.Event) {
			switch data := ev.Data.(type) {
			case app.LinkStatus:
				if data.State == app.LinkUnpaired || data.PairingCode != "" {
					mu.Lock()
					pairingShown = append(pairingShown, data)
					mu.Unlock()
				}
				if data.State == app.LinkConnected {
					select {
					case connected <- struct{}{}:
					default:
					}
				}
			case app.MessagesEvent:
				for _, m := range data.Messages {
					if !m.Outgoing && m.Text == "ping from the desktop" {
						mu.Lock()
						echoed = true
						mu.Unlock()
					}
				}
			}
		})
		st, _ := d.Link.Status()
		if st.World != app.WorldDemo {
			t.Fatalf("world %q", st.World)
		}
		// The demo phone pairs by itself: the UI never shows a pairing code.
		if st.State == app.LinkUnpaired || st.PairingCode != "" {
			t.Fatalf("round %d: the demo desktop starts %+v", round, st)
		}
		if st.State != app.LinkConnected {
			select {
			case <-connected:
			case <-ctx.Done():
				t.Fatalf("round %d: the desktop never connected to the demo phone", round)
			}
		}
		convs := waitConversations(t, d, 3)
		mu.Lock()
		if len(pairingShown) > 0 {
			t.Errorf("round %d: the demo desktop announced a pairing screen: %+v", round, pairingShown)
		}
		mu.Unlock()
		var echo app.Receiver
		for _, c := range convs {
			if c.Name == "Echo bot" {
				echo = c.Receiver
			}
		}
		rs, _ := d.People.Receivers()
		if len(rs.Contacts) != 2 || len(rs.Groups) != 1 || rs.Groups[0].Name != world.GroupName || echo.ID == "" {
			t.Fatalf("round %d: receivers %+v, conversations %+v", round, rs, convs)
		}
		if _, err := d.Chat.SendText(echo, "ping from the desktop", ""); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(timeout); ; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			ok := echoed
			mu.Unlock()
			if ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the echo bot never answered", round)
			}
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("world close: %v", err)
		}
		cancel()
	}
}

func waitConversations(t *testing.T, d *app.Services, n int) []app.Conversation {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		convs, err := d.Chat.Conversations()
		if err != nil {
			t.Fatal(err)
		}
		if len(convs) >= n {
			return convs
		}
	}
	t.Fatalf("fewer than %d conversations", n)
	return nil
}
