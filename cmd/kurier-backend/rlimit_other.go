//go:build !unix

package main

// openFilesLimit is unknown where there is no RLIMIT_NOFILE.
func openFilesLimit() int64 { return -1 }
