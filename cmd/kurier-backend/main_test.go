package main

import (
	"os"
	"testing"

	"github.com/kurier/kurier/internal/pgtest"
)

// TestMain stops the PostgreSQL server of the tests with --database.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
