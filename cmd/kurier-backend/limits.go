package main

import (
	"fmt"

	"github.com/dustin/go-humanize"

	"github.com/kurier/kurier/backend"
)

// limitFlags are the bounds against hostile clients (docs/backend.md
// "Limits"); 0 keeps a server's default, named in each help text.
type limitFlags struct {
	ChatStoreLimit    byteSize `help:"Chat queue's disk watermark: above it new messages are refused (default 20GiB)." name:"chat-store-limit" placeholder:"SIZE" env:"KURIER_BACKEND_CHAT_STORE_LIMIT" group:"Limits"`
	ChatQueueLimit    byteSize `help:"Bytes queued for one receiver (default 32MiB)." name:"chat-queue-limit" placeholder:"SIZE" env:"KURIER_BACKEND_CHAT_QUEUE_LIMIT" group:"Limits"`
	ChatQueueMessages int      `help:"Messages queued for one receiver (default 10000)." name:"chat-queue-messages" placeholder:"N" env:"KURIER_BACKEND_CHAT_QUEUE_MESSAGES" group:"Limits"`
	ChatSenderRate    float64  `help:"Messages a second one chat connection sends on average before it is read more slowly (default 200)." name:"chat-sender-rate" placeholder:"N" env:"KURIER_BACKEND_CHAT_SENDER_RATE" group:"Limits"`
	ChatSenderBytes   byteSize `help:"Bytes a second one chat connection sends on average (default 1MiB)." name:"chat-sender-bytes" placeholder:"SIZE" env:"KURIER_BACKEND_CHAT_SENDER_BYTES" group:"Limits"`
	ChatConnsPerAddr  int      `help:"Chat connections of one client address (default 1024)." name:"chat-conns-per-address" placeholder:"N" env:"KURIER_BACKEND_CHAT_CONNS_PER_ADDRESS" group:"Limits"`
	BlobStoreLimit    byteSize `help:"Blob store's watermark: above it uploads are refused with 507 (default 20GiB)." name:"blob-store-limit" placeholder:"SIZE" env:"KURIER_BACKEND_BLOB_STORE_LIMIT" group:"Limits"`
	BlobUploadQuota   byteSize `help:"Bytes one client address uploads in an hour (default 1GiB)." name:"blob-upload-quota" placeholder:"SIZE" env:"KURIER_BACKEND_BLOB_UPLOAD_QUOTA" group:"Limits"`
	LookupsPerHour    int      `help:"Identities one client address looks up in the directory in an hour (default 800, plus 200 at once)." name:"lookups-per-hour" placeholder:"N" env:"KURIER_BACKEND_LOOKUPS_PER_HOUR" group:"Limits"`
	ConnsPerAddr      int      `help:"Connections of one client address to the directory, blob and signaling servers (default 256)." name:"conns-per-address" placeholder:"N" env:"KURIER_BACKEND_CONNS_PER_ADDRESS" group:"Limits"`
}

// limits converts the flags to the backend's Limits.
func (f limitFlags) limits() backend.Limits {
	return backend.Limits{
		ChatStoreBytes:           int64(f.ChatStoreLimit),
		ChatQueueBytes:           int64(f.ChatQueueLimit),
		ChatQueueMessages:        f.ChatQueueMessages,
		ChatSenderRate:           f.ChatSenderRate,
		ChatSenderBytesPerSecond: float64(f.ChatSenderBytes),
		ChatConnsPerAddress:      f.ChatConnsPerAddr,
		BlobStoreBytes:           int64(f.BlobStoreLimit),
		BlobUploadBytesPerHour:   int64(f.BlobUploadQuota),
		LookupsPerHour:           f.LookupsPerHour,
		ConnsPerAddress:          f.ConnsPerAddr,
	}
}

// byteSize is a size given as "20GiB", "512 MB" or "1048576".
type byteSize int64

// UnmarshalText implements encoding.TextUnmarshaler (kong uses it).
func (b *byteSize) UnmarshalText(text []byte) error {
	n, err := humanize.ParseBytes(string(text))
	if err != nil {
		return fmt.Errorf("%q is not a size such as 512MiB or 20GiB", text)
	}
	if n > 1<<62 {
		return fmt.Errorf("%q is too large", text)
	}
	*b = byteSize(n)
	return nil
}
