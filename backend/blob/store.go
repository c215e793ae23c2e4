package blob

import (
	"context"
	"errors"
	"io"
	"time"

	wire "github.com/kurier/kurier/protocol/blob"
)

// errIDTaken is returned by commit when the drawn id already names a blob.
var errIDTaken = errors.New("blob: id taken")

// blobStore is where the blobs live: files in the data directory (the
// embedded default, one node), PostgreSQL (Config.Database) or an S3
// bucket (Config.S3), which several blob nodes may share. Every method is safe for concurrent use.
type blobStore interface {
	// write streams r (at most limit bytes; ErrTooLarge above it) into a
	// new upload that no reader sees until it is committed. Errors reading
	// r are classified by uploadReadError.
	write(ctx context.Context, r io.Reader, limit int64) (pendingUpload, int64, error)
	// open opens blob id for reading (Seek serves Range requests), or
	// fails with ErrNotFound.
	open(ctx context.Context, id wire.ID) (io.ReadSeekCloser, blobInfo, error)
	// remove deletes blob id, or fails with ErrNotFound.
	remove(ctx context.Context, id wire.ID) error
	// purge deletes every blob uploaded at or before cutoff, and uploads a
	// crashed node abandoned, a batch at a time; it reports the blobs.
	purge(ctx context.Context, cutoff time.Time) (int, error)
	// usage reports the stored blobs and their bytes: on a shared store,
	// of every node, possibly a second old.
	usage(ctx context.Context) (storeUsage, error)
	// uploadsInProgress is the number of uploads this node is writing.
	uploadsInProgress() int
	// close releases the store.
	close() error
}

// pendingUpload is an upload whose bytes have all been read, not yet
// visible.
type pendingUpload interface {
	// commit makes the upload durable and visible as blob id, stamped with
	// now; it fails with errIDTaken if id names a blob already, and may
	// then be called again with another id.
	commit(ctx context.Context, id wire.ID, now time.Time) error
	// release frees what the upload holds: an upload never committed is
	// deleted. It is called once, after commit or instead of it.
	release()
}

// blobInfo is what a store keeps about a blob beside its bytes.
type blobInfo struct {
	size     int64
	uploaded time.Time // from the injected clock; drives retention
}

// storeUsage is the stored blobs' count and total size.
type storeUsage struct {
	blobs, bytes int64
}

// openBlobStore opens the store cfg names: the S3 bucket when cfg.S3 is
// set (even with cfg.Database), else PostgreSQL when cfg.Database is set
// (openClusterStore), else the files in cfg.DataDir.
func openBlobStore(ctx context.Context, cfg Config) (blobStore, error) {
	if cfg.S3 == "" && cfg.Database == "" {
		return openFilesStore(cfg.DataDir)
	}
	return openClusterStore(ctx, cfg)
}
