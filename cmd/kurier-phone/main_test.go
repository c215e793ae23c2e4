package main

import (
	"github.com/kurier/kurier/backend/backendtest"

	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startBackend runs a real backend on loopback and returns its backend.json.
func startBackend(t *testing.T) string {
	t.Helper()
	_, path := backendtest.Start(t)
	return path
}

// phoneCmd runs one kurier-phone command and returns its standard output.
func phoneCmd(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := execute(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("kurier-phone %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

func TestCommands(t *testing.T) {
	bj := startBackend(t)
	a, b := t.TempDir(), t.TempDir()
	idA := strings.TrimSpace(phoneCmd(t, "--data", a, "init", "--backend", bj, "--nickname", "Alice"))
	idB := strings.TrimSpace(phoneCmd(t, "--data", b, "init", "--backend", bj))
	if len(idA) != 8 || len(idB) != 8 {
		t.Fatalf("ids %q %q", idA, idB)
	}
	if out := phoneCmd(t, "--data", a, "id"); !strings.Contains(out, idA) || !strings.Contains(out, "Alice") {
		t.Fatalf("id: %s", out)
	}
	if out := phoneCmd(t, "--data", a, "contact", "add", strings.ToLower(idB)); !strings.Contains(out, idB+" level 1") {
		t.Fatalf("contact add: %s", out)
	}
	if out := phoneCmd(t, "--data", a, "contact", "list"); !strings.Contains(out, idB) {
		t.Fatalf("contact list: %s", out)
	}
	sent := phoneCmd(t, "--data", a, "send", idB, "hello from the terminal")
	if !strings.HasPrefix(sent, "sent ") {
		t.Fatalf("send: %s", sent)
	}
	mid := strings.TrimSpace(strings.TrimPrefix(sent, "sent "))
	if out := phoneCmd(t, "--data", a, "react", strings.ToLower(idB), mid, "🎉"); out != idA+" 🎉\n" {
		t.Fatalf("react: %q", out)
	}
	if out := phoneCmd(t, "--data", a, "react", idB, mid, "🎉", "--withdraw"); out != "no reactions\n" {
		t.Fatalf("react --withdraw: %q", out)
	}
	out := phoneCmd(t, "--data", b, "inbox", "--sync")
	if !strings.Contains(out, "== "+idA) || !strings.Contains(out, "hello from the terminal") {
		t.Fatalf("inbox: %s", out)
	}
	if out := phoneCmd(t, "--data", a, "inbox"); !strings.Contains(out, "> "+idA) {
		t.Fatalf("inbox of the sender: %s", out)
	}
	// B knows A by the nickname of her message until B names her.
	if out := phoneCmd(t, "--data", b, "contact", "list"); !strings.Contains(out, idA+"  ~Alice") {
		t.Fatalf("contact list with a nickname: %s", out)
	}
	if out := phoneCmd(t, "--data", b, "contact", "name", strings.ToLower(idA), "Alice", "Example"); out != idA+" Alice Example\n" {
		t.Fatalf("contact name: %q", out)
	}
	if out := phoneCmd(t, "--data", b, "contact", "list"); !strings.Contains(out, idA+"  Alice Example  Alice") {
		t.Fatalf("contact list with a name: %s", out)
	}
	for _, args := range [][]string{{idA}, {idA, "Alice", "--clear"}} {
		if err := execute(context.Background(), append([]string{"--data", b, "contact", "name"}, args...), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Fatalf("contact name %v accepted", args)
		}
	}

	// Backup round trip into a new directory.
	t.Setenv("KURIER_BACKUP_PASSWORD", "pw")
	file := filepath.Join(t.TempDir(), "id.backup")
	phoneCmd(t, "--data", a, "backup", "export", file)
	restored := t.TempDir()
	if got := strings.TrimSpace(phoneCmd(t, "--data", restored, "backup", "import", file, "--backend", bj)); got != idA {
		t.Fatalf("restored %q", got)
	}

	// serve with the control API and the echo bot, until its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- execute(ctx, []string{"--data", b, "serve", "--control", "127.0.0.1:0", "--bot", "echo"}, &bytes.Buffer{}, &bytes.Buffer{})
	}()
	var addr []byte
	for deadline := time.Now().Add(10 * time.Second); len(addr) == 0; time.Sleep(10 * time.Millisecond) {
		addr, _ = os.ReadFile(filepath.Join(b, "control.addr"))
		if time.Now().After(deadline) {
			t.Fatal("no control.addr")
		}
	}
	tok, err := os.ReadFile(filepath.Join(b, "control.token"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(b, "control.token")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode: %v %v", fi.Mode(), err)
	}
	req, _ := http.NewRequest("GET", "http://"+strings.TrimSpace(string(addr))+"/v1/identity", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), idB) {
		t.Fatalf("identity: %d %s", resp.StatusCode, body)
	}
	// While serve runs, the one-shot commands of B go through it.
	if out := phoneCmd(t, "--data", b, "send", idA, "via the running phone"); !strings.HasPrefix(out, "sent ") {
		t.Fatalf("send through serve: %s", out)
	}
	if out := phoneCmd(t, "--data", b, "inbox"); !strings.Contains(out, "via the running phone") {
		t.Fatalf("inbox through serve: %s", out)
	}
	if out := phoneCmd(t, "--data", b, "contact", "name", idA, "--clear"); out != idA+" ~Alice\n" {
		t.Fatalf("contact name --clear through serve: %q", out)
	}
	// Desktop sessions, through serve and directly; a code for another server is refused.
	if out := phoneCmd(t, "--data", b, "sessions"); !strings.HasPrefix(out, "ID") {
		t.Fatalf("sessions through serve: %s", out)
	}
	if out := phoneCmd(t, "--data", a, "sessions"); !strings.HasPrefix(out, "ID") {
		t.Fatalf("sessions: %s", out)
	}
	if err := execute(context.Background(), []string{"--data", b, "pair", "bm90IGEgY29kZQ=="}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), "400") {
		t.Fatalf("pair with garbage through serve: %v", err)
	}
	// The echo bot answers A.
	phoneCmd(t, "--data", a, "send", idB, "echo me")
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := phoneCmd(t, "--data", a, "inbox", "--sync")
		if strings.Contains(out, "< "+idB) && strings.Contains(out, "echo me") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no echo: %s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
