package blob

import "errors"

var (
	// ErrNotFound is returned for a blob that does not exist (or expired).
	ErrNotFound = errors.New("blob: not found")
	// ErrInvalidID is returned for a blob id that is not 32 lowercase hex chars.
	ErrInvalidID = errors.New("blob: invalid blob id")
	// ErrTooLarge is returned for an upload above the size limit.
	ErrTooLarge = errors.New("blob: upload too large")
	// ErrNoBlobField is returned for an upload without a "blob" file field.
	ErrNoBlobField = errors.New("blob: no blob field in upload")
	// ErrMalformedUpload is returned for an upload body that is not valid
	// multipart/form-data or that broke off.
	ErrMalformedUpload = errors.New("blob: malformed upload")
	// ErrRateLimited is returned when a client exceeded its request budget.
	ErrRateLimited = errors.New("blob: rate limited")
	// ErrQuota is returned when a client exceeded its upload quota (429).
	ErrQuota = errors.New("blob: upload quota exceeded")
	// ErrFull is returned when the stored blobs reached the watermark (507).
	ErrFull = errors.New("blob: storage full")
	// ErrSlowUpload is returned for an upload that brought too few bytes
	// in an interval (408).
	ErrSlowUpload = errors.New("blob: upload too slow")
)
