-- Avatars (profile pictures, shared/protocols.md §3.5 0x18/0x19, §2.4
-- request/avatar): one row per owner. key is a conversation key
-- (ContactKey, GroupKey) or OwnAvatarKey ("me") for the phone's own
-- profile picture. image is the normalized JPEG (at most 512 px per edge);
-- scaled variants are derived from it when asked for.
CREATE TABLE avatars (
    key        TEXT    PRIMARY KEY NOT NULL,
    image      BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
