-- Emoji reactions to messages (E2E 0x82/0x83, and the legacy agree/decline
-- receipts as thumbs up/down): one row per (message, reacting identity,
-- emoji); a withdrawal deletes the row. created_at (unix milliseconds) is
-- the reaction's time and orders the buckets shown on the Web protocol.
-- The rows go with their message (ClearConversation).
CREATE TABLE reactions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
    identity    TEXT    NOT NULL,
    emoji       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (message_seq, identity, emoji)
) STRICT;
