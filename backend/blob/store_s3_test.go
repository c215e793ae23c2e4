package blob

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/kurier/kurier/internal/s3test"
	wire "github.com/kurier/kurier/protocol/blob"
)

// openTestS3 opens an S3 store on url.
func openTestS3(t testing.TB, url string) *s3Store {
	t.Helper()
	st, err := openS3Store(context.Background(), url, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.close() })
	return st
}

func TestParseS3URL(t *testing.T) {
	t.Parallel()
	loc, err := parseS3URL("s3://AK:s%2Fcr%40t@127.0.0.1:8333/media?secure=false&region=eu-1")
	if err != nil {
		t.Fatal(err)
	}
	want := s3Location{endpoint: "127.0.0.1:8333", access: "AK", secret: "s/cr@t", bucket: "media", region: "eu-1"}
	if loc != want {
		t.Fatalf("parsed %+v, want %+v", loc, want)
	}
	if loc, err := parseS3URL("s3://AK:SK@s3.example.net/media"); err != nil || !loc.secure {
		t.Fatalf("default secure: %+v, %v", loc, err)
	}
	for _, bad := range []string{
		"http://AK:SK@host/media",
		"s3://host/media",
		"s3://AK@host/media",
		"s3://AK:SK@host",
		"s3://AK:SK@host/",
		"s3://AK:SK@host/media/sub",
		"s3://AK:SK@host/media?secure=maybe",
		"s3://AK:SK@host/media?secure=true&secure=false",
		"s3://AK:SK@host/media?prefix=x",
		"s3://AK:SK@host/media#frag",
		"s3://AK:SK@ho st/media",
	} {
		_, err := parseS3URL(bad)
		if err == nil {
			t.Errorf("%s: accepted", bad)
		} else if strings.Contains(err.Error(), "SK") {
			t.Errorf("%s: the error repeats the secret: %v", bad, err)
		}
	}
}

func TestS3BlobKey(t *testing.T) {
	t.Parallel()
	id := wire.ID{0xab, 1}
	for _, at := range []time.Time{t0, time.Unix(0, 0), time.Unix(-5, 7)} {
		gotID, gotAt, ok := parseS3BlobKey(s3BlobKey(id, at))
		if !ok || gotID != id || !gotAt.Equal(at) {
			t.Fatalf("%s: parsed %v %s %v", at, gotID, gotAt, ok)
		}
	}
	for _, bad := range []string{"blobs/x-1", "tmp/" + id.String() + "-1", "blobs/" + id.String(), "blobs/" + id.String() + "-x"} {
		if _, _, ok := parseS3BlobKey(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestS3MissingBucket: a bucket that does not exist is refused at open.
func TestS3MissingBucket(t *testing.T) {
	t.Parallel()
	url := s3test.URL(t)
	i := strings.LastIndex(url, "/")
	t.Logf("weed started in %s", s3test.StartTime(t))
	if _, err := openS3Store(context.Background(), url[:i]+"/nosuchbucket?secure=false", time.Hour); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("open of a missing bucket = %v", err)
	}
}

// TestS3PurgeAbandoned: purge deletes the temporary objects and unfinished
// multipart uploads a crashed node left, once older than abandonAfter,
// and leaves the blobs and younger uploads alone.
func TestS3PurgeAbandoned(t *testing.T) {
	t.Parallel()
	url := s3test.URL(t)
	st, err := openS3Store(context.Background(), url, time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	put(t, st, wire.ID{1}, []byte("kept"), time.Now())
	if _, err := st.client.PutObject(ctx, st.bucket, s3TmpPrefix+"crashed", strings.NewReader("half"), 4, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	core := minio.Core{Client: st.client}
	if _, err := core.NewMultipartUpload(ctx, st.bucket, s3TmpPrefix+"crashed-multipart", minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	listed := 0
	for u := range st.client.ListIncompleteUploads(ctx, st.bucket, s3TmpPrefix, true) {
		if u.Err == nil {
			listed++
		}
	}
	if listed != 1 {
		t.Fatalf("%d unfinished uploads listed, want 1", listed)
	}
	time.Sleep(10 * time.Millisecond)
	if n, err := st.purge(ctx, t0); err != nil || n != 0 {
		t.Fatalf("purge = %d, %v; want no blob", n, err)
	}
	if err := st.list(ctx, s3TmpPrefix, s3ListPage, func(o minio.ObjectInfo) bool {
		t.Errorf("left: %s", o.Key)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	for u := range st.client.ListIncompleteUploads(ctx, st.bucket, s3TmpPrefix, true) {
		t.Errorf("unfinished upload left: %s %v", u.Key, u.Err)
	}
	if _, _, err := read(t, st, wire.ID{1}); err != nil {
		t.Fatalf("the blob: %v", err)
	}

	// With the default hour, a fresh upload in progress is left alone.
	young := openTestS3(t, url)
	up, _, err := young.write(ctx, strings.NewReader("in progress"), 100)
	if err != nil {
		t.Fatal(err)
	}
	defer up.release()
	if _, err := young.purge(ctx, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.client.StatObject(ctx, st.bucket, up.(*s3Upload).tmp, minio.StatObjectOptions{}); err != nil {
		t.Fatalf("purge deleted an upload in progress: %v", err)
	}
}
