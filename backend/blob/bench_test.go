package blob_test

import (
	"context"
	"io"
	"testing"
)

const benchBlobSize = 8 << 20

// BenchmarkUpload measures upload throughput (MB/s) of 8 MiB blobs through
// the streaming client, including the fsync of each blob.
func BenchmarkUpload(b *testing.B) {
	ts := newServer(b, nil)
	ctx := context.Background()
	b.SetBytes(benchBlobSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.client.Upload(ctx, stream(3, benchBlobSize)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDownload measures download throughput (MB/s) of one 8 MiB blob.
func BenchmarkDownload(b *testing.B) {
	ts := newServer(b, nil)
	ctx := context.Background()
	id, err := ts.client.Upload(ctx, stream(4, benchBlobSize))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchBlobSize)
	b.ReportAllocs()
	for b.Loop() {
		rc, err := ts.client.Download(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		_ = rc.Close()
		if err != nil || n != benchBlobSize {
			b.Fatalf("downloaded %d bytes: %v", n, err)
		}
	}
}
