//go:build !linux

package s3test

import "syscall"

// procAttr has no parent-death signal outside Linux: Main stops weed.
func procAttr() *syscall.SysProcAttr { return nil }
