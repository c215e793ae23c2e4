-- The directory on PostgreSQL, which several directory nodes may share.

-- Registered identities. public_key is unique across all states: a revoked
-- identity's key is never registered again.
CREATE TABLE directory_identities (
    -- COLLATE "C": IDs compare and sort by their bytes, as in SQLite,
    -- whatever the database's collation (ListIdentities pages by ID).
    id           TEXT    COLLATE "C" NOT NULL CHECK (char_length(id) = 8),
    public_key   BYTEA   NOT NULL CHECK (octet_length(public_key) = 32),
    feature_mask BIGINT  NOT NULL DEFAULT 0, -- u64 stored as its two's-complement int64
    state        INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),
    type         INTEGER NOT NULL DEFAULT 0 CHECK (type IN (0, 1)),
    created_at   BIGINT  NOT NULL, -- unix seconds
    revoked_at   BIGINT,
    CONSTRAINT directory_identities_id_key PRIMARY KEY (id),
    CONSTRAINT directory_identities_public_key_key UNIQUE (public_key)
);

-- HMAC-SHA256 hashes (never the plaintext) of the e-mail address and phone
-- number linked to an identity. An e-mail address at gmail.com/googlemail.com
-- is stored under both hashes; kind is 'email' or 'phone'.
CREATE TABLE directory_contact_hashes (
    hash     BYTEA NOT NULL CHECK (octet_length(hash) = 32),
    kind     TEXT  NOT NULL CHECK (kind IN ('email', 'phone')),
    identity TEXT  NOT NULL REFERENCES directory_identities (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, hash, identity)
);

CREATE INDEX directory_contact_hashes_identity ON directory_contact_hashes (identity, kind);

-- The per-address token buckets every node charges (ratelimit_postgres.go):
-- one row per client address and budget class, tokens as of at (unix
-- seconds). A row whose bucket has refilled is deleted: it is the same as
-- no row. UNLOGGED: a crash empties the table, which only hands every
-- address a full bucket once, and every charge skips the WAL.
CREATE UNLOGGED TABLE directory_rate_limits (
    addr   INET             NOT NULL,
    class  SMALLINT         NOT NULL,
    tokens DOUBLE PRECISION NOT NULL,
    at     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (addr, class)
);

-- Outstanding challenge tokens (tokens_postgres.go), so that phase 2 may
-- reach another node than phase 1. A token is deleted when redeemed, right
-- or wrong; expired ones are swept. UNLOGGED, as they live a minute.
CREATE UNLOGGED TABLE directory_tokens (
    token      BYTEA  PRIMARY KEY CHECK (octet_length(token) = 32),
    call       TEXT   NOT NULL,
    identity   TEXT   NOT NULL, -- empty for create
    public_key BYTEA  NOT NULL,
    expires_at BIGINT NOT NULL  -- unix milliseconds
);

CREATE INDEX directory_tokens_expires_at ON directory_tokens (expires_at);
