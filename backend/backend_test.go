package backend

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/backend/metrics"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
)

func startBackend(t *testing.T, dir string) (*Backend, func()) {
	t.Helper()
	b, err := New(Config{DataDir: dir, ChatAddr: "127.0.0.1:0", SignalingAddr: "127.0.0.1:0",
		DirectoryAddr: "127.0.0.1:0", BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0", Metrics: metrics.New()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	path := filepath.Join(dir, ProvisioningFile)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("backend.json never appeared")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after cancel")
		}
	}
	return b, stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestBackendServesAndWritesProvisioning(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, stop := startBackend(t, dir)
	file, err := provisioning.Load(filepath.Join(dir, ProvisioningFile))
	if err != nil {
		t.Fatal(err)
	}
	p := b.Provisioning()
	if file.Chat != p.Chat || !reflect.DeepEqual(file.Signaling, p.Signaling) || file.Admin != p.Admin {
		t.Fatalf("backend.json %+v differs from the running backend %+v", file, p)
	}
	if p.Chat.PublicKey != b.Keys().Chat.Public.String() || p.Signaling.PublicKey != b.Keys().Signaling.Public.String() ||
		!strings.HasPrefix(p.Signaling.URL, "wss://") || len(p.Signaling.TLSCertificateSHA256) != 64 {
		t.Fatalf("backend.json does not pin the server keys: %+v", p)
	}

	// The directory works and the admin QA API lists what it registered.
	c, err := client.New(p.Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	id, err := c.Create(context.Background(), kp)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, p.Admin.URL+"qa/identities")
	if code != http.StatusOK || !strings.Contains(body, id) || !strings.Contains(body, kp.Public.String()) {
		t.Fatalf("qa/identities: %d %s", code, body)
	}
	// A server key cannot be registered as an identity.
	if _, err := c.Create(context.Background(), b.Keys().DirectoryChallenge); err == nil {
		t.Fatal("a server key was registered as an identity")
	}

	code, body = get(t, p.Admin.URL+"healthz")
	var h struct{ Status string }
	if code != http.StatusOK || json.Unmarshal([]byte(body), &h) != nil || h.Status != "ok" {
		t.Fatalf("healthz: %d %s", code, body)
	}
	code, body = get(t, p.Admin.URL+"metrics")
	for _, m := range []string{"kurier_directory_identities_registered_total 1", "kurier_blob_bytes_stored",
		"kurier_chat_queue_depth 0", "kurier_signaling_connections 0", "go_goroutines"} {
		if code != http.StatusOK || !strings.Contains(body, m) {
			t.Fatalf("metrics lack %q: %d", m, code)
		}
	}
	code, body = get(t, p.Admin.URL+"qa/identities/"+id+"/queue")
	if code != http.StatusOK || !strings.Contains(body, `"identity":"`+id+`"`) {
		t.Fatalf("queue: %d %s", code, body)
	}
	if code, _ = get(t, p.Admin.URL+"qa/identities/not-an-id/queue"); code != http.StatusBadRequest {
		t.Fatalf("queue of a malformed id: %d", code)
	}
	code, body = get(t, p.Admin.URL+"backend.json")
	if code != http.StatusOK || !strings.Contains(body, p.Directory.URL) {
		t.Fatalf("backend.json: %d %s", code, body)
	}
	stop()

	// A restart keeps the keys and the registered identity.
	b2, stop2 := startBackend(t, dir)
	defer stop2()
	if b2.Keys() != b.Keys() {
		t.Fatal("keys changed across restarts")
	}
	c2, _ := client.New(b2.Provisioning().Directory.URL)
	got, err := c2.LookupIdentity(context.Background(), id)
	if err != nil || !got.PublicKey.Equal(kp.Public) {
		t.Fatalf("identity after restart: %+v, %v", got, err)
	}
}

func TestOnlySignaling(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := New(Config{DataDir: dir, Only: []string{ServerSignaling}, SignalingAddr: "127.0.0.1:0",
		AdminAddr: "127.0.0.1:0", PlainSignaling: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	p := b.Provisioning()
	if p.Chat.Address != "" || p.Directory.URL != "" || p.Signaling == nil || !strings.HasPrefix(p.Signaling.URL, "ws://") {
		t.Fatalf("provisioning of a signaling-only backend: %+v", p)
	}
	code, body := get(t, p.Admin.URL+"healthz")
	if code != http.StatusOK || strings.Contains(body, "chat") {
		t.Fatalf("healthz: %d %s", code, body)
	}
	// Without Config.Metrics (the desktop's embedded world) there is no /metrics.
	if code, _ := get(t, p.Admin.URL+"metrics"); code != http.StatusNotFound {
		t.Fatalf("metrics without an exporter: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ProvisioningFile)); !os.IsNotExist(err) {
		t.Fatalf("a partial backend wrote backend.json: %v", err)
	}
}

func TestChatNeedsADirectory(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{DataDir: t.TempDir(), Only: []string{ServerChat}}); err == nil {
		t.Fatal("a chat server without any directory was accepted")
	}
	if _, err := New(Config{DataDir: t.TempDir(), Only: []string{"mail"}}); err == nil {
		t.Fatal("an unknown server name was accepted")
	}
}

// TestBlobS3Wiring: BlobS3 reaches the blob server, which refuses a
// malformed URL without showing its secret.
func TestBlobS3Wiring(t *testing.T) {
	t.Parallel()
	_, err := New(Config{DataDir: t.TempDir(), Only: []string{ServerBlob}, BlobAddr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
		BlobS3: "s3://AK:topsecret@127.0.0.1:1/"})
	if err == nil || !strings.Contains(err.Error(), "S3 URL") || strings.Contains(err.Error(), "topsecret") {
		t.Fatalf("New with a malformed BlobS3 = %v", err)
	}
}
