package phone

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/blob/client"
)

// BenchmarkOpenSentFile measures opening a 1 MiB file the phone sent:
// from the bytes it kept (DownloadFile) against fetching and decrypting
// it from the blob server, the path before the phone kept files and still
// the one for a file it did not keep, in the same run. The blob server
// limits each address to 20 requests a second; a request it turns away is
// retried after the wait it asks for, with the timer stopped.
func BenchmarkOpenSentFile(b *testing.B) {
	w := newWorld(b)
	a, c := w.newPhone(b, "Alice"), w.newPhone(b, "Carol")
	a.start()
	ctx := context.Background()
	if _, err := a.AddContact(ctx, c.ID()); err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("kept file "), 1<<20/10)
	m, err := a.SendFile(ctx, c.ID(), FileInput{Name: "f.bin", MIME: "application/octet-stream", Data: data})
	if err != nil {
		b.Fatal(err)
	}
	fi, err := FileInfoOf(m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("kept", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			if got, err := a.DownloadFile(ctx, m); err != nil || len(got) != len(data) {
				b.Fatal(len(got), err)
			}
		}
	})
	b.Run("blob-server", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			got, err := a.download(ctx, fi.BlobID, fi.Key, &fileNonce)
			var limited *client.RateLimitError
			for errors.As(err, &limited) {
				b.StopTimer()
				time.Sleep(limited.RetryAfter)
				b.StartTimer()
				got, err = a.download(ctx, fi.BlobID, fi.Key, &fileNonce)
			}
			if err != nil || len(got) != len(data) {
				b.Fatal(len(got), err)
			}
		}
	})
}
