// Package store is the desktop client's local SQLite database: the only code in
// the desktop that touches database/sql.
//
// The schema lives in numbered, embedded migrations (migrations/NNNN_name.sql),
// applied in order inside one transaction by Open and tracked in the
// schema_version table. Each entity has its own file (settings.go, …).
// Not-found is reported as ErrNotFound, never as a nil result.
package store
