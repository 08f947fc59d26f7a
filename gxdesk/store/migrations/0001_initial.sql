-- gxdesk schema version 1: the first schema. Never edit: add a new numbered file.
CREATE TABLE calendar_day (
	day DATE NOT NULL, 
	is_workday BOOLEAN NOT NULL, 
	note TEXT NOT NULL, 
	PRIMARY KEY (day)
);

CREATE TABLE calendar_year (
	year INTEGER NOT NULL, 
	note TEXT NOT NULL, 
	PRIMARY KEY (year)
);

CREATE TABLE merge_batch (
	id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	note TEXT NOT NULL, 
	undone_at DATETIME, 
	PRIMARY KEY (id)
);

CREATE TABLE "plan" (
	id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	year INTEGER NOT NULL, 
	issued_on DATE, 
	revision INTEGER NOT NULL, 
	source_name TEXT NOT NULL, 
	source_kind VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE unit (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	short_name TEXT NOT NULL, 
	contact TEXT NOT NULL, 
	phone TEXT NOT NULL, 
	is_group BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

CREATE TABLE category (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	title_raw TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE
);

CREATE INDEX ix_category_plan_id ON category (plan_id);

CREATE TABLE export_record (
	export_id VARCHAR(64) NOT NULL, 
	plan_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	plan_revision INTEGER NOT NULL, 
	file_name TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (export_id), 
	FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);

CREATE TABLE group_member (
	group_id INTEGER NOT NULL, 
	member_id INTEGER NOT NULL, 
	PRIMARY KEY (group_id, member_id), 
	FOREIGN KEY(group_id) REFERENCES unit (id) ON DELETE CASCADE, 
	FOREIGN KEY(member_id) REFERENCES unit (id) ON DELETE CASCADE
);

CREATE TABLE merged_file (
	id INTEGER NOT NULL, 
	batch_id INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	export_id VARCHAR(64) NOT NULL, 
	unit_id INTEGER, 
	file_name TEXT NOT NULL, 
	merged_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(batch_id) REFERENCES merge_batch (id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);

CREATE INDEX ix_merged_file_batch_id ON merged_file (batch_id);

CREATE INDEX ix_merged_file_sha256 ON merged_file (sha256);

CREATE TABLE task (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	category_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	name_raw TEXT NOT NULL, 
	requirement TEXT NOT NULL, 
	requirement_raw TEXT NOT NULL, 
	deadline_text TEXT NOT NULL, 
	deadline_raw TEXT NOT NULL, 
	deadline_kind VARCHAR(16) NOT NULL, 
	deadline_due DATE, 
	deadline_workdays INTEGER, 
	deadline_period VARCHAR(16), 
	deadline_review BOOLEAN NOT NULL, 
	deadline_inferred BOOLEAN NOT NULL, 
	units_text TEXT NOT NULL, 
	units_raw TEXT NOT NULL, 
	units_review BOOLEAN NOT NULL, 
	units_inferred BOOLEAN NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	version INTEGER NOT NULL, 
	source_where TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE, 
	FOREIGN KEY(category_id) REFERENCES category (id) ON DELETE CASCADE
);

CREATE INDEX ix_task_category_id ON task (category_id);

CREATE INDEX ix_task_plan_id ON task (plan_id);

CREATE TABLE assignment (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	position INTEGER NOT NULL, 
	inferred BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (task_id, unit_id), 
	FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE, 
	FOREIGN KEY(unit_id) REFERENCES unit (id)
);

CREATE INDEX ix_assignment_task_id ON assignment (task_id);

CREATE INDEX ix_assignment_unit_id ON assignment (unit_id);

CREATE TABLE progress (
	id INTEGER NOT NULL, 
	assignment_id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	period VARCHAR(7) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	percent INTEGER, 
	text TEXT NOT NULL, 
	done_on DATE, 
	evidence TEXT NOT NULL, 
	problems TEXT NOT NULL, 
	contact TEXT NOT NULL, 
	phone TEXT NOT NULL, 
	reported_at DATETIME NOT NULL, 
	source VARCHAR(16) NOT NULL, 
	source_file TEXT NOT NULL, 
	source_sha256 VARCHAR(64) NOT NULL, 
	export_id VARCHAR(64) NOT NULL, 
	batch_id INTEGER, 
	assignment_version INTEGER NOT NULL, 
	withdrawn BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(assignment_id) REFERENCES assignment (id) ON DELETE CASCADE, 
	FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE, 
	FOREIGN KEY(unit_id) REFERENCES unit (id), 
	FOREIGN KEY(batch_id) REFERENCES merge_batch (id)
);

CREATE INDEX ix_progress_assignment_unit ON progress (assignment_id, unit_id, reported_at, id);

CREATE INDEX ix_progress_batch_id ON progress (batch_id);

CREATE INDEX ix_progress_task_latest ON progress (task_id, reported_at, id);
