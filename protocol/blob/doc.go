// Package blob is the blob server's HTTP wire format (shared/protocols.md
// §5), what a client needs to speak to it without linking the server:
//
//	POST /upload        multipart/form-data, file field "blob" → 200, the id as 32 lowercase hex chars
//	GET  /{id}          200 with the blob's bytes (ranges allowed), 404 when unknown or expired
//	POST /{id}/done     204; the blob is deleted (1:1 receivers call it after download)
//
// Blobs are end-to-end encrypted by their senders; the server never sees a
// key. The error values name the refusals a client can tell apart by the
// HTTP status. The package does no I/O.
package blob

// Wire names of the upload request.
const (
	// UploadPath is the upload endpoint, relative to the server's base URL.
	UploadPath = "upload"
	// DonePath follows a blob's id in the "done" endpoint: {id}/done.
	DonePath = "done"
	// FormField is the multipart file field that carries an upload.
	FormField = "blob"
)
