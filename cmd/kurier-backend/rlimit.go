//go:build unix

package main

import "syscall"

// openFilesLimit is the process's limit on open files (sockets included),
// as reported at start: every connection costs one, so the servers' bounds
// (connlimit's DefaultTotal per server, the chat server's MaxConnections)
// should fit under it. The Go runtime already raised the soft limit to the
// hard one at start (Go 1.19+); -1 when it cannot be read.
func openFilesLimit() int64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return -1
	}
	return int64(rl.Cur)
}
