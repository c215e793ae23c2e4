package directory_test

import (
	"context"
	"testing"
)

// BenchmarkLookup measures identity lookups per second through the HTTP
// client against a running server (GET identity/{ID}, SQLite read).
func BenchmarkLookup(b *testing.B) {
	ts := newServer(b, nil)
	id, _ := ts.register(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ts.client.LookupIdentity(ctx, id); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}

// BenchmarkLookupInProcess measures the in-process Lookup the all-in-one
// backend gives the chat server.
func BenchmarkLookupInProcess(b *testing.B) {
	ts := newServer(b, nil)
	id, _ := ts.register(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.LookupIdentity(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}
