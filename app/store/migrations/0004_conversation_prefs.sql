-- What the user decided about a conversation on this computer only (the
-- Web protocol has no place for it): archived, muted until, marked unread.
-- data is sealed like the cache.
CREATE TABLE conversation_prefs (
    type TEXT NOT NULL,
    rid  TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (type, rid)
) STRICT;
