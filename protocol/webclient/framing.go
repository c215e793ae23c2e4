package webclient

import (
	"fmt"
	"time"

	"github.com/kurier/kurier/protocol/chunking"
)

// RelayedChunkSize is the chunk size of the Relayed Data task, header
// included: 64 KiB (§2.1; WEB RELAYED_DATA_CHUNK_SIZE).
const RelayedChunkSize = 64 << 10

// Framing turns the messages of one connection into the units its task
// carries, and back (§2.1). On the WebRTC task a unit is a whole message:
// the secure data channel chunks underneath. On the Relayed Data task the
// Web protocol chunks itself: each message is split into chunks of
// RelayedChunkSize in unreliable/unordered mode, the chunker's message id
// counting the messages, and every chunk is a unit. Units are what
// sequence numbers count (an OutCache holds units, connectionAck and
// resume name them), so on the Relayed Data task a resume replays exactly
// the chunks the peer missed, as Threema Web does. Framing does no I/O and
// is not safe for concurrent use: the sender and the receiver of a
// connection each keep their half (Frames is used by the sender, Unframe
// by the receiver only).
type Framing struct {
	relayed bool
	nextID  uint32
	un      *chunking.Unchunker
	now     func() time.Time
}

// NewFraming returns the framing of a connection on the Relayed Data task
// (relayed) or the WebRTC task. lim bounds the reassembly of relayed chunks
// (zero fields: the chunking defaults).
func NewFraming(relayed bool, lim chunking.Limits) *Framing {
	f := &Framing{relayed: relayed, now: time.Now}
	if relayed {
		f.un, _ = chunking.NewUnchunker(chunking.UnreliableUnordered, lim) // the mode is valid
	}
	return f
}

// Relayed reports whether the connection is on the Relayed Data task.
func (f *Framing) Relayed() bool { return f.relayed }

// Frames returns the units that carry msg, in order.
func (f *Framing) Frames(msg []byte) ([][]byte, error) {
	if !f.relayed {
		return [][]byte{msg}, nil
	}
	chunks, err := chunking.Split(chunking.UnreliableUnordered, f.nextID, msg, RelayedChunkSize)
	if err != nil {
		return nil, fmt.Errorf("webclient: chunk: %w", err)
	}
	f.nextID++
	return chunks, nil
}

// Unframe takes one received unit and returns the message it completes, or
// nil while a relayed message is still incomplete. A unit that is not a
// valid chunk is an error of that unit only.
func (f *Framing) Unframe(unit []byte) ([]byte, error) {
	if !f.relayed {
		return unit, nil
	}
	now := f.now()
	f.un.GC(now)
	msg, err := f.un.Add(unit, now)
	if err != nil {
		return nil, fmt.Errorf("webclient: unchunk: %w", err)
	}
	return msg, nil
}
