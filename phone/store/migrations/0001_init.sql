-- The virtual phone's database (shared/protocols.md §3.4–3.6). Identities
-- are 8-character IDs; u64 message ids and group ids are stored as their
-- two's-complement int64; times are unix milliseconds.

-- The phone's own identity: one row. The secret key is stored as is (the
-- phone's data directory is its private storage); it is never logged.
CREATE TABLE identity (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    id         TEXT    NOT NULL,
    public_key BLOB    NOT NULL,
    secret_key BLOB    NOT NULL,
    nickname   TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;

-- Contacts. verification: 1 directory, 2 matched by hash, 3 verified in
-- person. state: the directory state (0 active, 1 inactive, 2 revoked).
CREATE TABLE contacts (
    id           TEXT    PRIMARY KEY NOT NULL,
    public_key   BLOB    NOT NULL,
    nickname     TEXT    NOT NULL DEFAULT '',
    name         TEXT    NOT NULL DEFAULT '',
    verification INTEGER NOT NULL,
    blocked      INTEGER NOT NULL DEFAULT 0,
    state        INTEGER NOT NULL DEFAULT 0,
    feature_mask INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

-- Groups, identified by (creator, group id) (§3.5). left: self is no longer
-- a member (left or removed).
CREATE TABLE groups (
    creator    TEXT    NOT NULL,
    group_id   INTEGER NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    left_group INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (creator, group_id)
) STRICT;

-- Members of a group other than the creator; self is listed when a member.
CREATE TABLE group_members (
    creator  TEXT    NOT NULL,
    group_id INTEGER NOT NULL,
    member   TEXT    NOT NULL,
    PRIMARY KEY (creator, group_id, member),
    FOREIGN KEY (creator, group_id) REFERENCES groups (creator, group_id) ON DELETE CASCADE
) STRICT;

-- Distribution lists: a local fan-out to 1:1 conversations.
CREATE TABLE lists (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE list_members (
    list_id INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    member  TEXT    NOT NULL,
    PRIMARY KEY (list_id, member)
) STRICT;

-- Conversations: key is the peer's ID, "g:CREATOR:GROUPIDHEX" or "l:N".
CREATE TABLE conversations (
    key             TEXT    PRIMARY KEY NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('contact', 'group', 'list')),
    last_message_at INTEGER NOT NULL DEFAULT 0,
    unread          INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Messages shown in conversations. direction: 0 incoming, 1 outgoing.
-- extra: JSON of a location or file. user_ack: 0, 3 acknowledged, 4 declined.
CREATE TABLE messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT    NOT NULL REFERENCES conversations (key),
    sender       TEXT    NOT NULL,
    message_id   INTEGER NOT NULL,
    direction    INTEGER NOT NULL CHECK (direction IN (0, 1)),
    type         INTEGER NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    extra        TEXT    NOT NULL DEFAULT '',
    state        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    received_at  INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL DEFAULT 0,
    read_at      INTEGER NOT NULL DEFAULT 0,
    user_ack     INTEGER NOT NULL DEFAULT 0,
    edited_at    INTEGER NOT NULL DEFAULT 0,
    deleted_at   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (conversation, sender, message_id)
) STRICT;

CREATE INDEX messages_message_id ON messages (message_id);

-- Every E2E nonce used or accepted, incoming and outgoing (§3.4, §6 #4).
CREATE TABLE nonces (
    nonce      BLOB    PRIMARY KEY NOT NULL,
    outgoing   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Every incoming message accepted, by (sender, message id): deduplication.
CREATE TABLE incoming (
    sender     TEXT    NOT NULL,
    message_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sender, message_id)
) STRICT, WITHOUT ROWID;

-- Outgoing envelopes not yet acknowledged by the chat server, in send order.
-- message_seq links user content to its messages row (NULL for receipts and
-- control messages).
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    receiver    TEXT    NOT NULL,
    message_id  INTEGER NOT NULL,
    envelope    BLOB    NOT NULL,
    message_seq INTEGER REFERENCES messages (seq) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (receiver, message_id)
) STRICT;
