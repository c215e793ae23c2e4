// Package interop runs the reference JavaScript SaltyRTC implementation
// (@saltyrtc/client 0.15.1 with @saltyrtc/task-relayed-data 0.4.0, under
// Node) against Kurier's signalling server and Go client (rtclink), over TLS
// on loopback: JS initiator with JS responder, JS initiator with Go
// responder, and Go initiator with JS responder, each exchanging application
// data both ways through the Relayed Data task (shared/protocols.md §1.9).
//
// The Node dependencies are pinned in package-lock.json; install them with
// `npm ci` in this directory before `go test`.
package interop
