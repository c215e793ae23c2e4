package chunking

import "errors"

// Sentinel errors. A receiver that gets one of the chunk errors should treat
// the channel as broken (TWJS closes the task with 3001, §1.8).
var (
	// ErrChunkSize is a chunk size too small to hold a header and one byte of data (§1.10).
	ErrChunkSize = errors.New("chunking: chunk size too small")
	// ErrEmptyMessage is a message with no bytes: every chunk carries at least one byte (§1.10).
	ErrEmptyMessage = errors.New("chunking: empty message")
	// ErrMode is an unknown chunking mode.
	ErrMode = errors.New("chunking: invalid mode")
	// ErrShortChunk is a chunk without a full header and at least one byte of data (§1.10).
	ErrShortChunk = errors.New("chunking: chunk too short")
	// ErrOptions is an options byte with reserved bits set or another mode than the unchunker's (§1.10).
	ErrOptions = errors.New("chunking: invalid options byte")
	// ErrDuplicateChunk is a chunk whose message id and serial were already received.
	ErrDuplicateChunk = errors.New("chunking: duplicate chunk")
	// ErrSerial is a serial that cannot belong to the message: beyond its last
	// chunk, or a second end-of-message chunk.
	ErrSerial = errors.New("chunking: invalid serial")
	// ErrMessageTooLarge is a message above the unchunker's per-message limit.
	ErrMessageTooLarge = errors.New("chunking: message too large")
	// ErrBufferFull means the incomplete messages would exceed the unchunker's byte limit.
	ErrBufferFull = errors.New("chunking: reassembly buffer full")
	// ErrTooManyMessages means a new message would exceed the unchunker's limit of incomplete messages.
	ErrTooManyMessages = errors.New("chunking: too many incomplete messages")
)
