package window

import (
	"debug/buildinfo"
	"strings"
	"testing"
)

// TestWindowBinaryLeavesOutClusterStorage checks the built app, as packaged,
// against modules only kurier-backend needs: the desktop's embedded world
// keeps its data in SQLite and files, without PostgreSQL's driver, S3's
// client or Prometheus, which cost the window's process memory for nothing
// (docs/benchmarks.md).
func TestWindowBinaryLeavesOutClusterStorage(t *testing.T) {
	binary, _ := setup(t)
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tags(info), "nocluster") {
		t.Errorf("built without the nocluster tag: %s", tags(info))
	}
	for _, dep := range info.Deps {
		for _, unwanted := range []string{"github.com/jackc/pgx", "github.com/minio/", "github.com/prometheus/"} {
			if strings.HasPrefix(dep.Path, unwanted) {
				t.Errorf("the app links %s %s", dep.Path, dep.Version)
			}
		}
	}
}

// tags is the -tags setting the binary was built with.
func tags(info *buildinfo.BuildInfo) string {
	for _, s := range info.Settings {
		if s.Key == "-tags" {
			return s.Value
		}
	}
	return ""
}
