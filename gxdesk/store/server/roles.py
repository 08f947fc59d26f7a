"""Who may do what, enforced by the server: the lead office, and one account per unit.

Two group roles, granted to the clerks' own login accounts (created by whoever
runs the server, with their passwords; gxdesk never sees a password):

- ``gxdesk_lead`` — the lead office: everything, as the database's owner.
- ``gxdesk_unit`` — a unit reporting directly: reads its unit's tasks (assigned
  to it or to a group it belongs to) and the reports on them, adds and changes
  only its own unit's reports; the plan, tasks and assignments are read-only.
  Row-level security does the limiting, so hand-written SQL is held to it too.

The login → unit mapping is the ``unit_account`` table; the policies ask it
through SECURITY DEFINER functions (a policy's own subquery would be limited by
the policies it is defining).
"""

from __future__ import annotations

LEAD, UNIT = "gxdesk_lead", "gxdesk_unit"

READ_ONLY = ("plan", "category", "unit", "group_member", "calendar_day", "calendar_year",
             "export_record", "merge_batch", "merged_file", "task", "assignment",
             "gxdesk_meta", "reminder", "reminder_task",
             "office_setting")  # fmt: skip
LIMITED = ("task", "assignment", "progress")  # row-level security

_SETUP = [
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{LEAD}') THEN
            CREATE ROLE {LEAD} NOLOGIN;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{UNIT}') THEN
            CREATE ROLE {UNIT} NOLOGIN;
        END IF;
    END $$""",
    """CREATE TABLE IF NOT EXISTS unit_account (
        login NAME PRIMARY KEY,
        unit_id INTEGER NOT NULL REFERENCES unit (id)
    )""",
    """CREATE OR REPLACE FUNCTION gxdesk_my_unit() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT unit_id FROM unit_account WHERE login = session_user
    $$""",
    """CREATE OR REPLACE FUNCTION gxdesk_my_tasks() RETURNS SETOF integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT a.task_id FROM assignment a WHERE a.unit_id = gxdesk_my_unit()
        UNION SELECT a.task_id FROM assignment a
        JOIN group_member g ON g.group_id = a.unit_id WHERE g.member_id = gxdesk_my_unit()
    $$""",
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
    f"GRANT USAGE ON SCHEMA public TO {LEAD}, {UNIT}",
    f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {LEAD}",
    f"GRANT SELECT ON {', '.join(f'{chr(34)}{t}{chr(34)}' for t in READ_ONLY)} TO {UNIT}",
    f"GRANT SELECT, INSERT, UPDATE ON progress TO {UNIT}",
]

_POLICIES = [
    ("task", "lead", f"FOR ALL TO {LEAD} USING (true) WITH CHECK (true)"),
    ("task", "unit", f"FOR SELECT TO {UNIT} USING (id IN (SELECT gxdesk_my_tasks()))"),
    ("assignment", "lead", f"FOR ALL TO {LEAD} USING (true) WITH CHECK (true)"),
    ("assignment", "unit",
     f"FOR SELECT TO {UNIT} USING (task_id IN (SELECT gxdesk_my_tasks()))"),
    ("progress", "lead", f"FOR ALL TO {LEAD} USING (true) WITH CHECK (true)"),
    ("progress", "unit_read",
     f"FOR SELECT TO {UNIT} USING (task_id IN (SELECT gxdesk_my_tasks()))"),
    ("progress", "unit_add", f"FOR INSERT TO {UNIT} WITH CHECK (unit_id = gxdesk_my_unit()"
     " AND task_id IN (SELECT gxdesk_my_tasks()) AND batch_id IS NULL)"),
    ("progress", "unit_change", f"FOR UPDATE TO {UNIT} USING (unit_id = gxdesk_my_unit())"
     " WITH CHECK (unit_id = gxdesk_my_unit() AND task_id IN (SELECT gxdesk_my_tasks()))"),
]  # fmt: skip


def setup_roles(conn) -> None:  # type: ignore[no-untyped-def]
    """Create the two group roles, grants and row-level security (again: changes nothing)."""
    with conn.transaction():
        for statement in _SETUP:
            conn.execute(statement)
        for table in LIMITED:
            conn.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        for table, name, body in _POLICIES:
            conn.execute(f'DROP POLICY IF EXISTS gxdesk_{name} ON "{table}"')
            conn.execute(f'CREATE POLICY gxdesk_{name} ON "{table}" {body}')


def grant_lead(conn, login: str) -> None:  # type: ignore[no-untyped-def]
    from psycopg import sql

    setup_roles(conn)
    with conn.transaction():
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(LEAD), sql.Identifier(login)))


def grant_unit(conn, login: str, unit_id: int) -> None:  # type: ignore[no-untyped-def]
    from psycopg import sql

    setup_roles(conn)
    with conn.transaction():
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(UNIT), sql.Identifier(login)))
        conn.execute(
            "INSERT INTO unit_account (login, unit_id) VALUES (%s, %s)"
            " ON CONFLICT (login) DO UPDATE SET unit_id = excluded.unit_id",
            (login, unit_id),
        )
