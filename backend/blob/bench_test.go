package blob_test

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
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

// BenchmarkPurgeUnderUploads measures expiry during an upload flood, on
// each store: one purge pass over 2,000 expired 1 KiB blobs while four
// clients upload 1 KiB blobs as fast as the server takes them (the rate
// limits lifted). It reports the blobs the pass deleted a second and the
// uploads a second it had to keep up with (up/s, counted over the same
// time); expiry keeps up when purged/s is above up/s, which is itself far
// above the 20 uploads a second one address may make.
func BenchmarkPurgeUnderUploads(b *testing.B) {
	for _, k := range storeKinds {
		b.Run(k.name, func(b *testing.B) { benchmarkPurgeUnderUploads(b, k.config(b)) })
	}
}

func benchmarkPurgeUnderUploads(b *testing.B, store func(*blob.Config)) {
	const perPass = 2000
	ts := newServer(b, store)
	ctx := context.Background()
	var purged, uploaded int
	var busy time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := range perPass {
			if _, err := ts.client.Upload(ctx, stream(uint64(j), 1<<10)); err != nil {
				b.Fatal(err)
			}
		}
		ts.clock.Advance(blob.DefaultRetention + time.Hour)
		flood, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var ups atomic.Int64
		for w := range 4 {
			wg.Go(func() {
				for flood.Err() == nil {
					if _, err := ts.client.Upload(flood, stream(uint64(w), 1<<10)); err == nil {
						ups.Add(1)
					}
				}
			})
		}
		time.Sleep(200 * time.Millisecond) // the flood under way
		b.StartTimer()
		start, before := time.Now(), ups.Load()
		n, err := ts.Purge()
		busy += time.Since(start)
		uploaded += int(ups.Load() - before)
		b.StopTimer()
		stop()
		wg.Wait()
		if err != nil || n < perPass {
			b.Fatalf("purged %d of %d: %v", n, perPass, err)
		}
		purged += n
		b.StartTimer()
	}
	b.ReportMetric(float64(purged)/busy.Seconds(), "purged/s")
	b.ReportMetric(float64(uploaded)/busy.Seconds(), "up/s")
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
