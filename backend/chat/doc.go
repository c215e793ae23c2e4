// Package chat is Kurier's chat server: the Chat Server Protocol of
// shared/protocols.md §3 over TCP, in front of a durable store-and-forward
// queue in SQLite (chat.db in Config.DataDir) or PostgreSQL shared by
// several nodes (Config.Database).
//
// # Connections
//
// Each accepted connection runs the §3.2 login (protocol/csp does the
// cryptography) under Config.HandshakeTimeout. The vouch is verified against
// the identity's key from the directory (Config.Directory). An unknown or
// revoked identity, and a client using the legacy vouch box, get login-ack
// followed by a close-error (0xe0) saying why, then the connection closes; a
// wrong vouch is closed without a word. A second login of an identity takes
// over: the older connection gets a close-error and is closed.
//
// After login one goroutine reads, started fresh so that the login's deep
// stack does not stay with the connection, and a writer goroutine runs only
// while there is something to write: an idle connection costs one parked
// goroutine, a 512-byte read buffer and its bookkeeping (about 8 KiB of RSS
// in BenchmarkIdleConnectionRSS). The writer alone writes to the socket and
// seals frames: server acks, echo responses, deliveries, queue-send-complete
// and close-errors. Anything
// malformed closes that connection only. Every limit an attacker could push
// is bounded: connections (total and per IP), frame size, pending acks per
// connection (the reader stops reading), pending deliveries per receiver (a
// slow reader is disconnected; its messages stay queued), pending echoes,
// queued messages per receiver.
//
// # Durability and group commit
//
// An outgoing message (0x01) goes to the batcher, the queue's only writer.
// It takes the requests of all connections that piled up while the previous
// commit ran (at most Config.MaxBatch, optionally lingering Config.CommitDelay
// for more), commits them in one transaction on a connection with
// synchronous=FULL (NORMAL with Config.RelaxedSync), and only then releases
// the server acks (0x81) and the live deliveries, in commit order, on a
// releaser goroutine while the next commit runs. A duplicate (sender,
// receiver, message id) is acked but stored once. Run's shutdown stops
// accepting, closes the connections, commits what the batcher holds and
// closes the database: nothing acknowledged is ever lost.
//
// # Delivery
//
// On login the writer sends the receiver's backlog in queue order, then
// queue-send-complete (0xd0), then live messages as they are committed; the
// switch from backlog to live is made under the connection's lock against a
// per-connection cursor, so no message is skipped or sent twice and the
// order per sender→receiver pair is the order of arrival. A message is
// deleted only when its receiver acks it (0x82); unacked messages are sent
// again on the next login. Flag no-queuing messages are never stored
// (delivered if the receiver is online, else dropped, acked either way),
// no-ack messages get no server ack, short-lived ones expire after
// Config.ShortLivedTTL, others after Config.Retention; a purge loop owned by
// Run deletes expired messages.
//
// # Several nodes on PostgreSQL
//
// With Config.Database a postgres:// URL, any number of chat nodes share one
// queue (the embedded default stays SQLite in DataDir). Each receiver's
// seqs are allocated under its row in chat_receivers, so one receiver's
// commits from several nodes become visible in seq order, and a batch takes
// its row locks in receiver order, so two nodes' batches cannot deadlock.
// A commit that queued messages also sends one NOTIFY per batch on
// kurier_chat_queued carrying the node and the receiver ids, never content;
// every other node reads the queue past the cursor of each receiver it has
// logged in. A node takes a committed message straight from its own batcher
// only when it is the receiver's next seq; otherwise it reads the queue.
// The listening connection is re-established after any failure, followed by
// a re-scan of every local connection: a lost notification delays a message,
// never loses it.
//
// One login per identity across the cluster: a login raises the identity's
// epoch in chat_sessions and announces it on kurier_chat_session; a node
// holding an older connection of that identity closes it with the
// takeover close-error. A no-queuing message (typing) for a receiver that
// is not connected to this node is stored for liveRelayTTL if, and only if,
// the receiver is logged in on another node, which then delivers it.
//
// Logs are one slog line per event with identities, sizes and types, never a
// key, a nonce or a message body.
package chat
