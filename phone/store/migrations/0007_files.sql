-- The bytes of file messages, kept as a phone keeps what it sent and what
-- it downloaded: a blob may be gone from the blob server once a 1:1
-- receiver has it. They go with their message.
CREATE TABLE files (
    message_seq INTEGER PRIMARY KEY NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
    data        BLOB    NOT NULL
) STRICT;
