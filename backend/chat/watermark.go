package chat

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// storeBytes is the size of the queue's files on disk (the database and its
// write-ahead log).
func (s *Server) storeBytes() int64 {
	var n int64
	for _, name := range []string{dbFile, dbFile + "-wal"} {
		if fi, err := os.Stat(filepath.Join(s.cfg.DataDir, name)); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// watermarkLoop checks the queue's size on disk every StoreCheckInterval:
// above MaxStoreBytes the server takes no new messages (neither stored nor
// acked: the senders keep them) until deliveries and expiry bring it back
// under, so a flood cannot fill the disk under the queue.
func (s *Server) watermarkLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.StoreCheckInterval)
	defer t.Stop()
	for {
		n := s.storeBytes()
		full := n >= s.cfg.MaxStoreBytes
		if was := s.storeFull.Swap(full); was != full {
			if full {
				s.log.Warn("queue store at its watermark: new messages are refused", "bytes", n, "watermark", s.cfg.MaxStoreBytes)
			} else {
				s.log.Info("queue store below its watermark again: messages are taken", "bytes", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
