-- Messages composed while the phone was away, sent in order (seq) when it
-- is back. data is sealed like the cache (first byte 1) when a password
-- protects the profile; type and rid name the conversation.
CREATE TABLE outbox (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    id   TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    rid  TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
) STRICT;
