package blob_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/blob"
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

// BenchmarkPurge measures expiry: one purge pass over a store of 2,000
// expired 1 KiB blobs (uploads not timed), reported as blobs deleted a
// second. Expiry keeps up when that is far above the uploads a second the
// rate limits let in.
func BenchmarkPurge(b *testing.B) {
	const perPass = 2000
	ts := newServer(b, nil)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := range perPass {
			if _, err := ts.client.Upload(ctx, stream(uint64(j), 1<<10)); err != nil {
				b.Fatal(err)
			}
		}
		ts.clock.Advance(blob.DefaultRetention + time.Hour)
		b.StartTimer()
		n, err := ts.Purge()
		if err != nil || n != perPass {
			b.Fatalf("purged %d of %d: %v", n, perPass, err)
		}
	}
	b.ReportMetric(float64(perPass*b.N)/b.Elapsed().Seconds(), "blobs/s")
}
