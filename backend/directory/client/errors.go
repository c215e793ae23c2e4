package client

import (
	"errors"
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/directory"
)

var (
	// ErrNotFound is returned when the identity is not registered (404).
	ErrNotFound = directory.ErrNotFound
	// ErrRateLimited is returned, wrapped in a *RateLimitError, on 429.
	ErrRateLimited = directory.ErrRateLimited
	// ErrUnexpectedResponse is returned for an answer that is not what §4 specifies.
	ErrUnexpectedResponse = errors.New("directory client: unexpected response")
)

// RateLimitError is a 429 answer; it matches ErrRateLimited with errors.Is.
type RateLimitError struct {
	// RetryAfter is the server's Retry-After, or zero if it sent none.
	RetryAfter time.Duration
}

// Error describes the error.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("directory client: rate limited, retry after %s", e.RetryAfter)
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// APIError is a {success:false, error, errorType} answer. It matches the
// directory sentinel of its errorType (directory.ErrProofRejected, …) with
// errors.Is.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Type is the errorType field.
	Type string
	// Message is the error field.
	Message string
}

// Error describes the error.
func (e *APIError) Error() string {
	return fmt.Sprintf("directory client: %s (%s, HTTP %d)", e.Message, e.Type, e.Status)
}

// Unwrap returns the directory sentinel of the error type.
func (e *APIError) Unwrap() error { return directory.ErrorForType(e.Type) }
