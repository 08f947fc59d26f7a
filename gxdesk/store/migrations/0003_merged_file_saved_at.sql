-- gxdesk schema version 3. Never edit: add a new file.
-- When the unit saved each merged file (the workbook's own docProps modified time,
-- not the file system's): a second return of the same export is a correction
-- only when it was saved later than the one merged before.
ALTER TABLE merged_file ADD COLUMN saved_at DATETIME;
