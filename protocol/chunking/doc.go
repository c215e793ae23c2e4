// Package chunking implements SaltyRTC Chunking v1.1 (saltyrtc-meta
// Chunking.md; Kurier's shared/protocols.md §1.10): it splits a message into
// chunks of at most a given size and reassembles them on the other side.
//
// Two modes exist (§1.10):
//
//   - unreliable/unordered: a 9-byte header, options ‖ message id (u32 BE) ‖
//     serial (u32 BE). Chunks may arrive in any order and interleaved with the
//     chunks of other messages. The WebRTC task (§1.8) and Threema Web (§2.1)
//     use only this mode;
//   - reliable/ordered: a 1-byte header, the options byte alone. Chunks must
//     arrive in order, one message after the other.
//
// The options byte is RRRRRMME: R are reserved and zero, MM is the mode (00
// unreliable/unordered, 11 reliable/ordered), E marks the last chunk of a
// message.
//
// A Chunker produces the chunks of one message; an Unchunker reassembles
// messages and is bounded in the bytes it buffers, in the number of
// incomplete messages and in the size of one message, with time injected for
// the garbage collection of stale incomplete messages. The package does no
// I/O and keeps no global state.
package chunking
