package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// TestDesktopAndSilentPhone: the desktop's link (app/phonelink) stays up
// for a minute with a phone that behaves like the Android app on the WebRTC
// task — it never sends or answers connectionAck, so nothing at the
// application level shows it alive — and notices within 10 s when that
// phone is SIGKILLed (ICE liveness, rtclink.DefaultICEFailedTimeout).
func TestDesktopAndSilentPhone(t *testing.T) {
	t.Parallel()
	bj := startBackend(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	phoneCmd(t, "--data", dir, "init", "--backend", bj, "--nickname", "Silent")
	ph := startServe(t, bin, dir, "--like-android")

	prov, err := provisioning.Load(bj)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := phonelink.ServerFrom(prov.Signaling)
	if err != nil {
		t.Fatal(err)
	}
	offer, err := phonelink.NewOffer(srv, cryptobox.KeyPair{}, true, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	paired := make(chan error, 1)
	go func() {
		body := fmt.Sprintf(`{"qr":%q}`, offer.Code)
		req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+ph.addr+"/v1/pair", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+ph.token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				err = fmt.Errorf("pair: HTTP %d", resp.StatusCode)
			}
		}
		paired <- err
	}()
	conn, err := phonelink.Dial(ctx, phonelink.DialConfig{Server: srv, Key: offer.Key, Token: &offer.Token})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close("") }()
	if err := <-paired; err != nil {
		t.Fatal(err)
	}
	go func() { // drain pushes
		for range conn.Updates() {
		}
	}()

	// A minute with a phone that never acks: still connected, still answering.
	select {
	case <-conn.Done():
		t.Fatalf("the link ended while the phone was alive: %v", conn.Err())
	case <-time.After(60 * time.Second):
	}
	rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
	_, err = conn.Request(rctx, wc.NewRequest(wc.SubProfile, ""))
	rcancel()
	if err != nil {
		t.Fatalf("profile after a minute: %v", err)
	}

	// The phone vanishes without a word.
	ph.kill(t)
	killed := time.Now()
	select {
	case <-conn.Done():
		took := time.Since(killed)
		t.Logf("the desktop noticed the killed phone after %s", took.Round(10*time.Millisecond))
		if took > 10*time.Second {
			t.Fatalf("noticed after %s, want ≤ 10 s", took)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the desktop did not notice the killed phone within 30 s")
	}
}
