package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestServeChattyBot runs `serve --bot chatty` on one real phone and talks
// to it from another through the commands: the reply quotes the text.
func TestServeChattyBot(t *testing.T) {
	bj := startBackend(t)
	a, b := t.TempDir(), t.TempDir()
	idA := strings.TrimSpace(phoneCmd(t, "--data", a, "init", "--backend", bj))
	idB := strings.TrimSpace(phoneCmd(t, "--data", b, "init", "--backend", bj))
	phoneCmd(t, "--data", a, "contact", "add", idB)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- execute(ctx, []string{"--data", b, "serve", "--bot", "chatty"}, &bytes.Buffer{}, &bytes.Buffer{})
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	phoneCmd(t, "--data", a, "send", idB, "talk to me")
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := phoneCmd(t, "--data", a, "inbox", "--sync")
		if strings.Contains(out, "< "+idB) && strings.Contains(out, "You said") && strings.Contains(out, "talk to me") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no chatty reply for %s: %s", idA, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
