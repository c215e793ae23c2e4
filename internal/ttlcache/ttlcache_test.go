package ttlcache

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestValue(t *testing.T) {
	c := Value[int]{TTL: 50 * time.Millisecond}
	reads := 0
	read := func(context.Context) (int, error) { reads++; return 10 * reads, nil }
	ctx := context.Background()
	if v, err := c.Get(ctx, read); v != 10 || err != nil {
		t.Fatalf("first get %d, %v", v, err)
	}
	c.Update(func(v int) int { return v + 1 })
	if v, _ := c.Get(ctx, read); v != 11 || reads != 1 {
		t.Fatalf("cached get %d after %d reads; want 11 after 1", v, reads)
	}
	time.Sleep(60 * time.Millisecond)
	if v, _ := c.Get(ctx, read); v != 20 || reads != 2 {
		t.Fatalf("stale get %d after %d reads; want 20 after 2", v, reads)
	}
	time.Sleep(60 * time.Millisecond)
	boom := errors.New("down")
	if v, err := c.Get(ctx, func(context.Context) (int, error) { return 0, boom }); v != 20 || !errors.Is(err, boom) {
		t.Fatalf("failed read: %d, %v; want the last value and the error", v, err)
	}
	if v, err := c.Get(ctx, read); v != 20 || err != nil || reads != 2 {
		t.Fatalf("after a failed read: %d, %v, %d reads; want the last value, no new read within TTL", v, err, reads)
	}
}
