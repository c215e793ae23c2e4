// Package buildinfo holds the version stamped into every Kurier binary at link time.
//
// The Makefile sets Version from `git describe` with
// -ldflags "-X github.com/kurier/kurier/internal/buildinfo.Version=…"; a plain
// `go build` leaves it at "dev".
package buildinfo

// Version is the release this binary was built from, for example "v0.3.0-4-gabc1234".
var Version = "dev"

// ProductName is the user-visible name of the product, used as the window title.
const ProductName = "Kurier"
