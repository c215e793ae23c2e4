package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/blob/client"
	"github.com/kurier/kurier/internal/s3test"
)

// TestS3NodesShareBlobs: two blob servers on one bucket (each with a data
// directory of its own, and a Database that is not even a URL: S3 wins)
// serve the same blobs: a 6 MiB blob (two parts) uploaded through A
// downloads byte-identical through B, Range requests included; "done"
// through B deletes it for A; B's purge expires what A uploaded.
func TestS3NodesShareBlobs(t *testing.T) {
	t.Parallel()
	const size = 6 << 20
	url := s3test.URL(t)
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	var nodes [2]*testServer
	for i := range nodes {
		nodes[i] = newServer(t, func(c *blob.Config) {
			c.S3, c.Database, c.Now = url, "ignored when S3 is set", clk.Now
		})
		nodes[i].clock = clk
	}
	a, b := nodes[0], nodes[1]
	ctx := context.Background()
	all, err := io.ReadAll(stream(31, size))
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.client.Upload(ctx, bytes.NewReader(all))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := b.client.Download(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	_ = rc.Close()
	if err != nil || !bytes.Equal(got, all) {
		t.Fatalf("node B served %d bytes, %v; identical %v", len(got), err, bytes.Equal(got, all))
	}

	// A range across the first part's end, through B.
	req, _ := http.NewRequest(http.MethodGet, b.URL()+id, nil)
	req.Header.Set("Range", "bytes=5242870-5242885")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, all[5242870:5242886]) {
		t.Fatalf("range through B: status %d, %d bytes", resp.StatusCode, len(part))
	}

	if err := b.client.Done(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.client.Download(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("download through A after done through B = %v, want ErrNotFound", err)
	}
	if err := a.client.Done(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("done through A after done through B = %v, want ErrNotFound", err)
	}

	// B's purge expires a blob uploaded through A.
	id, err = a.client.Upload(ctx, strings.NewReader("expires"))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(blob.DefaultRetention)
	if n, err := b.Purge(); err != nil || n != 1 {
		t.Fatalf("purge through B = %d, %v; want 1", n, err)
	}
	if _, err := a.client.Download(ctx, id); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("download of a purged blob through A = %v, want ErrNotFound", err)
	}
}

// TestS3Config: a malformed S3 URL, or a blob size S3 cannot copy, is
// refused, and the error never shows the secret.
func TestS3Config(t *testing.T) {
	t.Parallel()
	for _, cfg := range []blob.Config{
		{Addr: "127.0.0.1:0", S3: "s3://AK:topsecret@127.0.0.1:1/"},
		{Addr: "127.0.0.1:0", S3: "s3://AK:topsecret@127.0.0.1:1/b?x=1"},
		{Addr: "127.0.0.1:0", S3: "s3://AK:topsecret@127.0.0.1:1/b", MaxBlobBytes: 6 << 30},
	} {
		_, err := blob.New(cfg)
		if err == nil {
			t.Fatalf("New took %+v", cfg)
		}
		if strings.Contains(err.Error(), "topsecret") {
			t.Fatalf("the error shows the secret: %v", err)
		}
	}
}
