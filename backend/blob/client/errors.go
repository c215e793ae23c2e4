package client

import (
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/blob"
)

var (
	// ErrNotFound is returned for an unknown or expired blob (404).
	ErrNotFound = blob.ErrNotFound
	// ErrTooLarge is returned when the server refuses an upload as too large (413).
	ErrTooLarge = blob.ErrTooLarge
	// ErrInvalidID is returned for a malformed blob id.
	ErrInvalidID = blob.ErrInvalidID
	// ErrRateLimited is returned, wrapped in a *RateLimitError, on 429 (the
	// request budget or the upload quota).
	ErrRateLimited = blob.ErrRateLimited
	// ErrFull is returned when the server's storage is at its watermark (507).
	ErrFull = blob.ErrFull
	// ErrUnexpectedResponse is returned for an answer §5 does not specify.
	ErrUnexpectedResponse = errors.New("blob client: unexpected response")
)

// RateLimitError is a 429 answer; it matches ErrRateLimited with errors.Is.
type RateLimitError struct {
	// RetryAfter is the server's Retry-After, or zero if it sent none.
	RetryAfter time.Duration
}

// Error describes the error.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("blob client: rate limited, retry after %s", e.RetryAfter)
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }
