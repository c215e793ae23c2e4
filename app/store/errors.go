package store

import "errors"

var (
	// ErrNotFound is returned when a requested row does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrLocked: a sealed record was read before the vault was unlocked.
	ErrLocked = errors.New("store: the cache is locked")
	// ErrCorrupt: a stored record does not decode.
	ErrCorrupt = errors.New("store: corrupt record")
)
