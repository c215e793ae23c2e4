package main

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alecthomas/kong"

	"github.com/kurier/kurier/backend"
	blobclient "github.com/kurier/kurier/backend/blob/client"
	dirclient "github.com/kurier/kurier/backend/directory/client"
)

// TestLimitFlagsParse: every limit flag reaches backend.Limits, sizes in
// any unit; a size that is not one is refused with a sentence.
func TestLimitFlagsParse(t *testing.T) {
	var c cli
	p, err := kong.New(&c, kong.Vars{"version": "test", "chat": "", "signaling": "", "directory": "", "blob": "", "admin": ""})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse([]string{"--chat-store-limit=2GiB", "--chat-queue-limit=4 MiB", "--chat-queue-messages=50",
		"--chat-sender-rate=12.5", "--chat-sender-bytes=64KiB", "--chat-conns-per-address=9", "--blob-store-limit=3GB",
		"--blob-upload-quota=100MiB", "--lookups-per-hour=60", "--conns-per-address=16"}); err != nil {
		t.Fatal(err)
	}
	want := backend.Limits{ChatStoreBytes: 2 << 30, ChatQueueBytes: 4 << 20, ChatQueueMessages: 50, ChatSenderRate: 12.5,
		ChatSenderBytesPerSecond: 64 << 10, ChatConnsPerAddress: 9, BlobStoreBytes: 3_000_000_000,
		BlobUploadBytesPerHour: 100 << 20, LookupsPerHour: 60, ConnsPerAddress: 16}
	if got := c.Limits.limits(); got != want {
		t.Errorf("limits = %+v\nwant     %+v", got, want)
	}
	c = cli{}
	if _, err := p.Parse([]string{"--blob-store-limit=lots"}); err == nil {
		t.Error("--blob-store-limit=lots was taken")
	}
}

// TestLimitFlags: a real kurier-backend started with small limits enforces
// them: the blob store refuses an upload past its watermark (507) and the
// directory a lookup past the hour's budget (429).
func TestLimitFlags(t *testing.T) {
	bin := buildBackend(t)
	_, f := startProcess(t, bin, t.TempDir(), "--blob-store-limit=1MiB", "--lookups-per-hour=5")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	bc, err := blobclient.New(f.Blob.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bc.Upload(ctx, bytes.NewReader(make([]byte, 768<<10))); err != nil {
		t.Fatalf("first upload, under the watermark: %v", err)
	}
	if _, err := bc.Upload(ctx, bytes.NewReader(make([]byte, 768<<10))); !errors.Is(err, blobclient.ErrFull) {
		t.Errorf("upload past --blob-store-limit=1MiB: %v, want ErrFull", err)
	}

	bob := register(t, f)
	dc, err := dirclient.New(f.Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := dc.LookupIdentity(ctx, bob.id); err != nil {
			t.Fatalf("lookup %d of 5: %v", i+1, err)
		}
	}
	if _, err := dc.LookupIdentity(ctx, bob.id); !errors.Is(err, dirclient.ErrRateLimited) {
		t.Errorf("sixth lookup with --lookups-per-hour=5: %v, want ErrRateLimited", err)
	}
}
