// Package pgdb opens a PostgreSQL database for a Kurier server and applies
// its embedded, ordered migrations, the PostgreSQL counterpart of
// internal/sqlitedb. Several servers (chat, directory, …) and several nodes
// of each may share one database: each component's schema version is kept
// apart, and a migration runs under a transaction-scoped advisory lock, so
// nodes that start together migrate once.
//
// Built with -tags nocluster (the desktop), the package holds only IsURL
// and ErrNotBuilt, and the program does not link PostgreSQL's driver.
package pgdb
