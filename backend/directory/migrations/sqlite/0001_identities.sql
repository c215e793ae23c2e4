-- Registered identities. public_key is unique across all states: a revoked
-- identity's key is never registered again.
CREATE TABLE identities (
    id           TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 8),
    public_key   BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    feature_mask INTEGER NOT NULL DEFAULT 0,
    state        INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),
    type         INTEGER NOT NULL DEFAULT 0 CHECK (type IN (0, 1)),
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
) STRICT;

-- HMAC-SHA256 hashes (never the plaintext) of the e-mail address and phone
-- number linked to an identity. An e-mail address at gmail.com/googlemail.com
-- is stored under both hashes; kind is 'email' or 'phone'.
CREATE TABLE contact_hashes (
    hash     BLOB NOT NULL CHECK (length(hash) = 32),
    kind     TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    identity TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, hash, identity)
) STRICT;

CREATE INDEX contact_hashes_identity ON contact_hashes(identity, kind);
