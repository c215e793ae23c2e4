package store

import "errors"

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrSchemaTooNew is returned by Open when the database was written by a newer
// Kurier whose migrations this binary does not know.
var ErrSchemaTooNew = errors.New("store: database schema is newer than this program")
