package connlimit

import (
	"net"
	"testing"
	"time"
)

// dialFrom dials addr from the local address ip (any 127.0.0.0/8 address is
// loopback on Linux: one machine, many client addresses).
func dialFrom(t *testing.T, ip, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// closedByServer reports whether the server closed c (EOF or reset on read).
func closedByServer(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err := c.Read(make([]byte, 1))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return err != nil
}

// TestLimits: one address gets PerAddr connections and no more, another
// address is unaffected, the total holds, and a closed connection frees its
// place.
func TestLimits(t *testing.T) {
	t.Parallel()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := Wrap(raw, Limits{PerAddr: 5, Total: 8})
	defer func() { _ = ln.Close() }()
	accepted := make(chan net.Conn, 100) // the server holds them open
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	addr := raw.Addr().String()
	var attacker []net.Conn
	for range 20 {
		attacker = append(attacker, dialFrom(t, "127.0.0.2", addr))
	}
	open := 0
	for _, c := range attacker {
		if !closedByServer(c) {
			open++
		}
	}
	if open != 5 || ln.Refused(RefusedPerAddr) != 15 {
		t.Fatalf("%d of 20 connections from one address open, %d refused; want 5 and 15", open, ln.Refused(RefusedPerAddr))
	}
	good := dialFrom(t, "127.0.0.1", addr)
	if closedByServer(good) {
		t.Fatal("another address was refused")
	}
	var others []net.Conn
	for range 4 {
		others = append(others, dialFrom(t, "127.0.0.3", addr))
	}
	closed := 0
	for _, c := range others {
		if closedByServer(c) {
			closed++
		}
	}
	if closed != 2 || ln.Refused(RefusedTotal) != 2 || ln.Open() != 8 {
		t.Fatalf("total bound: %d of 4 closed, %d refused, %d open", closed, ln.Refused(RefusedTotal), ln.Open())
	}
	// Closing frees the place (once, even when closed twice).
	first := <-accepted
	_ = first.Close()
	_ = first.Close()
	if ln.Open() != 7 {
		t.Fatalf("%d open after a close", ln.Open())
	}
	for _, c := range append(append(attacker, others...), good) {
		_ = c.Close()
	}
}
