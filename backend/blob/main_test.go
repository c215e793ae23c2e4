package blob

import (
	"os"
	"testing"

	"github.com/kurier/kurier/internal/pgtest"
)

// TestMain stops the PostgreSQL server of the tests on both stores when
// they end.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
