package store

import "errors"

var (
	// ErrNotFound is returned when a requested row does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists is returned when a row that must be new already exists.
	ErrExists = errors.New("store: already exists")
	// ErrLimit is returned when a row would exceed a bound the store keeps
	// (MaxReactionsPerIdentity).
	ErrLimit = errors.New("store: limit reached")
)
