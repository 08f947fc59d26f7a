-- gxdesk schema version 2: the 催办 log (one row per notice sent, the tasks it named) and the
-- issuing office's particulars printed on the report and the notices. Never edit: add a new file.
CREATE TABLE reminder (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	number TEXT NOT NULL, 
	issued_on DATE NOT NULL, 
	file_name TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);

CREATE INDEX ix_reminder_unit_id ON reminder (unit_id);

CREATE TABLE reminder_task (
	reminder_id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	PRIMARY KEY (reminder_id, task_id), 
	FOREIGN KEY(reminder_id) REFERENCES reminder (id) ON DELETE CASCADE, 
	FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE
);

CREATE INDEX ix_reminder_task_task_id ON reminder_task (task_id);

CREATE TABLE office_setting (
	"key" VARCHAR(32) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
