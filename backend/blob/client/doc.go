// Package client is the Go client of Kurier's blob server (backend/blob,
// shared/protocols.md §5), used by the virtual phone and the tests. Uploads
// and downloads stream: memory use does not grow with the blob size.
package client
