-- A conversation the user pinned (Threema Web's update/conversation
-- isStarred; the Android app's "pin" tag).
ALTER TABLE conversations ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
