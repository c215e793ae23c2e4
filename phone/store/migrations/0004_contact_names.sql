-- A contact's name as the user gives it, in two parts as the Threema apps
-- and the Web protocol keep it (§2.4 firstName, lastName). The one name of
-- before becomes the first name.
ALTER TABLE contacts RENAME COLUMN name TO first_name;
ALTER TABLE contacts ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
