-- The local copy of what the phone knows. Record bodies (data) are JSON,
-- sealed with the cache key of the vault when a password protects the
-- profile (first byte 1), else stored as they are (first byte 0). Columns
-- outside data hold nothing but ids, order and times.
CREATE TABLE receivers (
    type TEXT NOT NULL,
    id   TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (type, id)
) STRICT;

CREATE TABLE conversations (
    type          TEXT NOT NULL,
    id            TEXT NOT NULL,
    last_activity INTEGER NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (type, id)
) STRICT;
CREATE INDEX conversations_by_activity ON conversations (last_activity DESC);

CREATE TABLE messages (
    type     TEXT NOT NULL,
    rid      TEXT NOT NULL,
    id       TEXT NOT NULL,
    sort_key INTEGER NOT NULL,
    data     BLOB NOT NULL,
    PRIMARY KEY (type, rid, id)
) STRICT;
CREATE INDEX messages_by_order ON messages (type, rid, sort_key);

-- Thumbnails, avatars and downloaded files, keyed like their message.
CREATE TABLE media (
    type TEXT NOT NULL,
    rid  TEXT NOT NULL,
    id   TEXT NOT NULL,
    kind TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (type, rid, id, kind)
) STRICT;

CREATE TABLE drafts (
    type TEXT NOT NULL,
    rid  TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (type, rid)
) STRICT;

-- Single values: the profile, the vault record, the sealed remembered session.
CREATE TABLE kv (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) STRICT;
