package blob_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/blob/client"
)

// clientFrom is a blob client whose connections come from the local address ip.
func clientFrom(t *testing.T, baseURL, ip string) *client.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr := &http.Transport{DialContext: d.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.New(baseURL, client.WithHTTPClient(&http.Client{Transport: tr, Timeout: 30 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestUploadBounds (issue 14, item 3): one address that uploads as much as
// it can is stopped by its quota (429 with Retry-After) while another
// address still uploads; the stored blobs never pass the watermark (507
// beyond it); and a body that stalls after its headers is cut off after
// the progress interval (408), not held for the 10-minute body timeout.
func TestUploadBounds(t *testing.T) {
	t.Parallel()
	onEachStore(t, testUploadBounds)
}

func testUploadBounds(t *testing.T, store func(*blob.Config)) {
	const mib = 1 << 20
	ts := newServer(t, func(c *blob.Config) {
		store(c)
		c.MaxBlobBytes = mib
		c.UploadQuota = blob.RateLimit{PerSecond: 1, Burst: 2*mib + 200<<10} // two blobs, then nearly nothing
		c.MaxTotalBytes = 3*mib + 100<<10
		c.ProgressInterval, c.MinProgressBytes = 500*time.Millisecond, 16<<10
	})
	ctx := context.Background()
	hog := clientFrom(t, ts.URL(), "127.0.0.2")
	for i := range 2 {
		if _, err := hog.Upload(ctx, stream(uint64(i), mib-1000)); err != nil {
			t.Fatalf("upload %d within the quota: %v", i, err)
		}
	}
	var rl *client.RateLimitError
	if _, err := hog.Upload(ctx, stream(9, mib-1000)); !errors.As(err, &rl) || rl.RetryAfter <= 0 {
		t.Fatalf("an upload over the quota: %v, want 429 with Retry-After", err)
	}
	// Another address has its own quota, until the watermark.
	other := clientFrom(t, ts.URL(), "127.0.0.3")
	if _, err := other.Upload(ctx, stream(10, mib-1000)); err != nil {
		t.Fatalf("another address: %v", err)
	}
	if _, err := other.Upload(ctx, stream(11, mib-1000)); !errors.Is(err, client.ErrFull) {
		t.Fatalf("an upload past the watermark: %v, want ErrFull (507)", err)
	}
	st := ts.Stats()
	if st.BytesStored > 3*mib+100<<10 || st.UploadsRefusedQuota < 1 || st.UploadsRefusedFull < 1 {
		t.Fatalf("Stats = %+v", st)
	}

	// A body that stops after its headers and a few bytes.
	c, err := net.Dial("tcp", ts.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	start := time.Now()
	fmt.Fprintf(c, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n")
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	took := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("stalled upload after %s: %v %v, want 408", took, resp, err)
	}
	if took > 3*time.Second {
		t.Fatalf("a stalled upload was held %s", took)
	}
	if ts.Stats().UploadsRefusedSlow < 1 {
		t.Fatal("the slow upload was not counted")
	}
}
