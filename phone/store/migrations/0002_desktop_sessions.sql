-- Paired desktops (shared/protocols.md §1.6, §2): one row per desktop
-- session. initiator_key is the desktop's SaltyRTC permanent public key;
-- public_key/secret_key are the phone's own permanent key pair for this
-- session (the responder key), never logged. permanent sessions may
-- reconnect in trusted-key mode; a revoked session's row is deleted.
CREATE TABLE desktop_sessions (
    id            TEXT    PRIMARY KEY NOT NULL,
    initiator_key BLOB    NOT NULL,
    public_key    BLOB    NOT NULL,
    secret_key    BLOB    NOT NULL,
    permanent     INTEGER NOT NULL DEFAULT 0,
    label         TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL DEFAULT 0
) STRICT;
