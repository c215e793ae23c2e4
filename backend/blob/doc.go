// Package blob is Kurier's blob (media) server: it stores the encrypted file
// bodies that E2E file messages point to, speaking Threema's blob API
// (shared/protocols.md §5):
//
//	POST /upload        multipart/form-data, file field "blob" → 200, 32 lowercase hex chars
//	GET  /{id}          the blob, 404 if unknown or expired, 400 if id is malformed
//	POST /{id}/done     204; the blob is deleted (1:1 receivers call it after download)
//
// Blobs are ciphertext (secretbox with a per-file key the server never sees),
// so the server treats them as opaque bytes. Uploads stream to a temp file in
// the data directory, are fsynced and only then linked under their final
// name, so a crash never leaves a partial blob visible; memory use does not
// grow with the blob size. Uploads above Config.MaxBlobBytes (default 100 MiB)
// are refused with 413 and their temp file removed. Blobs older than
// Config.Retention (default 14 days) are purged by a ticker owned by Run.
// Every endpoint is rate-limited per client IP (429 with Retry-After).
package blob
