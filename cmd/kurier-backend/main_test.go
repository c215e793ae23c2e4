package main

import (
	"os"
	"testing"

	"github.com/kurier/kurier/internal/pgtest"
)

// TestMain stops the PostgreSQL server of the tests with --database and
// removes the shared kurier-backend binary.
func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
