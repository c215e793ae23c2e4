// Package blob is Kurier's blob (media) server: it stores the encrypted file
// bodies that E2E file messages point to, speaking Threema's blob API
// (shared/protocols.md §5):
//
//	POST /upload        multipart/form-data, file field "blob" → 200, 32 lowercase hex chars
//	GET  /{id}          the blob, 404 if unknown or expired, 400 if id is malformed
//	POST /{id}/done     204; the blob is deleted (1:1 receivers call it after download)
//
// The wire format (ids, field and path names, the errors) is package
// protocol/blob, which the client (backend/blob/client) uses without
// linking this server.
//
// Blobs are ciphertext (secretbox with a per-file key the server never sees),
// so the server treats them as opaque bytes. Uploads above
// Config.MaxBlobBytes (default 100 MiB) are refused with 413 and what was
// written is deleted. Blobs older than Config.Retention (default 14 days)
// are purged by a ticker owned by Run. Every endpoint is rate-limited per
// client IP (429 with Retry-After).
//
// # Storage
//
// The server reaches its storage through one seam (blobStore in store.go):
// write an upload that nobody sees, commit it under a fresh id (refused if
// the id is taken), open a blob for reading with its size and upload time,
// remove it, purge the expired a batch at a time, and report the count and
// bytes stored. Memory never grows with a blob's size on any store, and
// an id is answered only once its blob is durable. There are three stores:
//
// Files (the default, one node): the upload streams to a temp file in
// DataDir/tmp, is fsynced and only then hard-linked under
// DataDir/blobs/{id[:2]}/{id}, so a crash never leaves a partial blob
// visible; the file's mtime is the upload time. Temp files a crash left are
// removed when the server starts.
//
// PostgreSQL (Config.Database, a postgres:// URL): several blob nodes on
// one database serve the same blobs: uploaded through one, fetched, marked
// done or expired through any other. A blob is a blob_objects row (id,
// size, upload time) and its bytes are blob_chunks rows (key, n, data) of
// 8000 bytes. A transfer moves segments of 132 rows (1,056,000 bytes, the
// fewest rows that hold 1 MiB): each segment of an upload is one short
// transaction (a COPY of its rows), each segment of a download one query,
// so that a node holds one segment in memory per transfer, and no
// connection or transaction while a slow client sends or receives. The
// last segment is written in the transaction that gives the upload its id
// (a blob of up to 1 MiB is one transaction); the id is answered once that
// transaction has committed, and before, the upload's row has no id, so a
// half-written upload is never visible. An upload that fails or whose
// client goes away is deleted at once; one whose node crashed is deleted
// by the next purge (of any node) once it has written nothing for an hour
// or more (abandonAfter). A blob deleted while it is being downloaded cuts
// the download short at its next segment (the files store serves an
// unlinked file to the end). The pool's size is the URL's pool_max_conns.
//
// Why rows of 8000 bytes, and not rows of 256 KiB–1 MiB or large objects:
// PostgreSQL moves a bytea over about 2 KB out of its row (TOAST), cut into
// 2 KB tuples of a side table with an index of its own, so a 1 MiB row is
// some 512 tuples and index entries anyway; a row of 8000 bytes stored PLAIN
// fills one heap page and needs one index entry. Measured once while
// choosing (PostgreSQL 15 with its default settings, 2 shared vCPUs):
// 8000-byte rows written by COPY, 108 MB/s against 53 for 1 MiB rows; read
// back (warm), 415 MB/s against 145–168. Large objects are kept in 2 KB
// pieces too (lo_from_bytea wrote 40–49 MB/s) and would cost more besides: a
// large-object descriptor lives only inside a transaction, so streaming one
// to a slow client would hold a pooled connection and a transaction (whose
// snapshot holds back vacuum) for as long as the client takes; a large
// object is not deleted with the row that names it (a crash between the two
// leaks it, hence vacuumlo); and all of them live in the one system table
// pg_largeobject, outside logical replication. Chunk rows go with their
// blob_objects row (ON DELETE CASCADE) in one statement.
//
// S3 (Config.S3, an s3://ACCESS:SECRET@host[:port]/bucket URL, through
// minio-go; it wins over Database, so that a cluster keeps chat and
// directory on PostgreSQL and blobs on object storage): several nodes on
// one bucket share the blobs as on PostgreSQL. An upload is streamed to a
// temporary object tmp/{random} as a multipart upload of 5 MiB parts
// (s3PartSize: one part buffered per upload, whatever the blob's size);
// commit checks that no object blobs/{id}-* exists (errIDTaken), then
// copies it server-side to blobs/{id}-{upload time in Unix nanoseconds,
// from the injected clock}, and release deletes the temporary object. The
// id is answered once CopyObject has returned, so the blob is durable, and
// S3 shows an object only once its PUT or copy is complete, so a
// half-written upload is never visible under an id. The id cannot be
// drawn before the upload (the seam draws it at commit, after the body
// has been read), hence the copy rather than a PUT straight to the blob's
// name; it bounds a blob to 5 GiB (one CopyObject; MaxBlobBytes above is
// refused). The upload time is in the name rather than in user metadata
// so that one listing of blobs/ gives every blob's id, size and upload
// time: purge lists the bucket (1,000 names a request) and deletes the
// expired ones purgeBatch at a time with no request per blob, and open
// and remove find a blob with a listing of its id's prefix (one request)
// before the GET or DELETE. Temporary objects and unfinished multipart
// uploads of a crashed node are deleted by purge once older than
// abandonAfter by the bucket's clock. Two nodes committing the same
// 128-bit random id at once would both succeed; that never happens.
// Seek is minio-go's: a ranged GET from the new offset. A blob deleted
// while it is being downloaded is cut short or served to its end, as the
// object store does.
//
// # Limits on several nodes
//
// The storage watermark (Config.MaxTotalBytes, 507 above it) bounds the
// blobs of all nodes together: it and Stats' Blobs and BytesStored read
// the shared total, at most once a second (a metrics scrape or an upload
// does not cost a scan each time); a node's own commits and deletions count
// at once, other nodes' within the second. On S3 reading the totals lists
// the whole bucket (a request per 1,000 blobs), so they are re-read every
// 30 s (s3UsageTTL) instead. The per-address rate limits and
// upload quotas, the connection limits and the upload counters stay per
// node.
package blob
