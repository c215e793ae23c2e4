package chunking

import "fmt"

// Chunker splits one message into chunks of at most a chunk size, header
// included (§1.10). Every chunk but the last is full; each carries at least
// one byte of data. The message is not copied: keep it unchanged until the
// last chunk was produced.
type Chunker struct {
	mode   Mode
	id     uint32
	msg    []byte
	data   int // data bytes per chunk
	serial uint32
	off    int
}

// NewChunker returns a chunker for msg with the message id (ignored in
// reliable/ordered mode) and the chunk size.
func NewChunker(mode Mode, id uint32, msg []byte, chunkSize int) (*Chunker, error) {
	hs := mode.HeaderSize()
	if hs == 0 {
		return nil, fmt.Errorf("%w: %d", ErrMode, uint8(mode))
	}
	if chunkSize <= hs {
		return nil, fmt.Errorf("%w: %d bytes for a %d-byte header", ErrChunkSize, chunkSize, hs)
	}
	if len(msg) == 0 {
		return nil, ErrEmptyMessage
	}
	return &Chunker{mode: mode, id: id, msg: msg, data: chunkSize - hs}, nil
}

// Count is the total number of chunks of the message.
func (c *Chunker) Count() int { return (len(c.msg) + c.data - 1) / c.data }

// Next appends the next chunk to dst[:0] and returns it; ok is false once
// every chunk was produced. Reusing dst avoids an allocation per chunk.
func (c *Chunker) Next(dst []byte) (chunk []byte, ok bool) {
	if c.off >= len(c.msg) {
		return nil, false
	}
	end := min(c.off+c.data, len(c.msg))
	dst = appendHeader(dst[:0], c.mode, end == len(c.msg), c.id, c.serial)
	dst = append(dst, c.msg[c.off:end]...)
	c.off = end
	c.serial++
	return dst, true
}

// Split returns every chunk of msg, each in its own slice.
func Split(mode Mode, id uint32, msg []byte, chunkSize int) ([][]byte, error) {
	c, err := NewChunker(mode, id, msg, chunkSize)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, c.Count())
	for {
		chunk, ok := c.Next(nil)
		if !ok {
			return out, nil
		}
		out = append(out, chunk)
	}
}
