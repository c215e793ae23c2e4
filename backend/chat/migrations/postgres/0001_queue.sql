-- The offline message queue on PostgreSQL: one row per message waiting for
-- its receiver's client ack (shared/protocols.md §3.3). seq increases per
-- receiver and is allocated under the receiver's row in chat_receivers, so
-- concurrent commits of several nodes for one receiver are serialised and a
-- reader that has seen seq n never later finds a smaller seq committed (a
-- global sequence would let it skip one).
CREATE TABLE chat_receivers (
    receiver TEXT   PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE chat_queue (
    receiver   TEXT   NOT NULL,
    seq        BIGINT NOT NULL,
    sender     TEXT   NOT NULL,
    message_id BIGINT NOT NULL, -- u64 stored as its two's-complement int64
    expires_at BIGINT NOT NULL, -- unix milliseconds
    envelope   BYTEA  NOT NULL, -- the §3.4 envelope exactly as delivered
    PRIMARY KEY (receiver, seq),
    UNIQUE (receiver, sender, message_id)
);

CREATE INDEX chat_queue_expires_at ON chat_queue (expires_at);
