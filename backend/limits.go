package backend

import (
	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/chat"
	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/internal/connlimit"
)

// Limits are the bounds against hostile clients that an operator sets
// (kurier-backend's limit flags; docs/backend.md "Limits"). A zero field
// keeps the server's default.
type Limits struct {
	// ChatStoreBytes is the chat queue's disk watermark: above it no new
	// message is taken (chat.Config.MaxStoreBytes).
	ChatStoreBytes int64
	// ChatQueueBytes and ChatQueueMessages bound what waits for one
	// receiver (chat.Config.MaxQueueBytesPerReceiver, MaxQueuePerReceiver).
	ChatQueueBytes    int64
	ChatQueueMessages int
	// ChatSenderRate (messages) and ChatSenderBytesPerSecond bound what one
	// connection sends on average; beyond them it is read more slowly.
	ChatSenderRate, ChatSenderBytesPerSecond float64
	// BlobStoreBytes is the blob store's watermark: above it uploads are
	// refused with 507 (blob.Config.MaxTotalBytes).
	BlobStoreBytes int64
	// BlobUploadBytesPerHour is one client address's upload quota.
	BlobUploadBytesPerHour int64
	// LookupsPerHour is one client address's budget of identities looked
	// up in the directory (each ID counts).
	LookupsPerHour int
	// ConnsPerAddress bounds one client address's open connections to the
	// directory and blob servers and its WebSocket connections to the
	// signaling server.
	ConnsPerAddress int
	// ChatConnsPerAddress bounds one client address's chat connections
	// (chat.Config.MaxConnectionsPerIP; higher by default, since many
	// phones share one address behind a NAT).
	ChatConnsPerAddress int
}

// directory applies l to a directory configuration.
func (l Limits) directory(c *directory.Config) {
	if l.LookupsPerHour > 0 {
		c.LookupLimit = directory.RateLimit{PerSecond: float64(l.LookupsPerHour) / 3600,
			Burst: min(l.LookupsPerHour, directory.DefaultLookupLimit.Burst)}
	}
	c.Conns = l.conns()
}

// blob applies l to a blob configuration.
func (l Limits) blob(c *blob.Config) {
	c.MaxTotalBytes = l.BlobStoreBytes
	if l.BlobUploadBytesPerHour > 0 {
		c.UploadQuota = blob.RateLimit{PerSecond: float64(l.BlobUploadBytesPerHour) / 3600,
			Burst: int(min(l.BlobUploadBytesPerHour, 2*blob.DefaultMaxBlobBytes))}
	}
	c.Conns = l.conns()
}

// chat applies l to a chat configuration.
func (l Limits) chat(c *chat.Config) {
	c.MaxStoreBytes = l.ChatStoreBytes
	c.MaxQueueBytesPerReceiver = l.ChatQueueBytes
	c.MaxQueuePerReceiver = l.ChatQueueMessages
	c.SenderRate = l.ChatSenderRate
	c.SenderBytesPerSecond = l.ChatSenderBytesPerSecond
	c.MaxConnectionsPerIP = l.ChatConnsPerAddress
}

// signaling applies l to a signaling configuration.
func (l Limits) signaling(c *signaling.Config) { c.Limits.MaxConnsPerIP = l.ConnsPerAddress }

func (l Limits) conns() connlimit.Limits { return connlimit.Limits{PerAddr: l.ConnsPerAddress} }
