package blob_test

import (
	"context"
	"fmt"
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

// BenchmarkStore measures a round trip through the server, upload (until
// the id is returned, the blob durable) then download, of a 1 MiB and a
// 16 MiB blob on each store; MB/s counts the blob once. up-MB/s and
// down-MB/s are the two halves. Each blob is marked done afterwards (not
// timed), so that the store does not grow.
func BenchmarkStore(b *testing.B) {
	for _, k := range storeKinds {
		for _, size := range []int64{1 << 20, 16 << 20} {
			b.Run(fmt.Sprintf("%s/%dMiB", k.name, size>>20), func(b *testing.B) {
				benchmarkStore(b, k.config(b), size)
			})
		}
	}
}

func benchmarkStore(b *testing.B, store func(*blob.Config), size int64) {
	ts := newServer(b, store)
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	var up, down time.Duration
	for b.Loop() {
		start := time.Now()
		id, err := ts.client.Upload(ctx, stream(5, size))
		if err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		rc, err := ts.client.Download(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		_ = rc.Close()
		if err != nil || n != size {
			b.Fatalf("downloaded %d bytes: %v", n, err)
		}
		end := time.Now()
		up += mid.Sub(start)
		down += end.Sub(mid)
		b.StopTimer()
		if err := ts.client.Done(ctx, id); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	mb := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(mb/up.Seconds(), "up-MB/s")
	b.ReportMetric(mb/down.Seconds(), "down-MB/s")
}
