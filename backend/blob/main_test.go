package blob

import (
	"os"
	"testing"

	"github.com/kurier/kurier/internal/pgtest"
	"github.com/kurier/kurier/internal/s3test"
)

// TestMain stops the PostgreSQL and S3 servers of the tests on the shared
// stores when they end.
func TestMain(m *testing.M) {
	os.Exit(s3test.Main(pgMain{m}))
}

// pgMain runs the tests inside pgtest.Main, so that both servers stop.
type pgMain struct{ m *testing.M }

// Run runs the tests and stops the PostgreSQL server.
func (p pgMain) Run() int { return pgtest.Main(p.m) }
