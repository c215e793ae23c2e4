-- The offline message queue: one row per message waiting for its receiver's
-- client ack (shared/protocols.md §3.3). seq is never reused (AUTOINCREMENT):
-- delivery cursors and per-pair order depend on it.
CREATE TABLE queue (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    receiver   TEXT    NOT NULL,
    sender     TEXT    NOT NULL,
    message_id INTEGER NOT NULL, -- u64 stored as its two's-complement int64
    expires_at INTEGER NOT NULL, -- unix milliseconds
    envelope   BLOB    NOT NULL, -- the §3.4 envelope exactly as delivered
    UNIQUE (receiver, sender, message_id)
);

CREATE INDEX queue_receiver_seq ON queue (receiver, seq);
CREATE INDEX queue_expires_at ON queue (expires_at);
