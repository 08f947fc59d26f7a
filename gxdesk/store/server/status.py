"""A task's derived status on the server: kept by the server itself, from the reports.

On SQLite the program recomputes a task's status after every report it writes
(:func:`gxdesk.store.progress.refresh_status`). On a server that cannot work for
a unit's account: row-level security lets it add its own reports but not touch
``task`` (:mod:`gxdesk.store.server.roles`), and granting it ``UPDATE task``
would let it write any status at all. So on a server the status is refreshed by
the server: a trigger on ``progress`` calls ``gxdesk_refresh_status``, a
SECURITY DEFINER function owned by the schema's owner, which sets each affected
task to exactly what its latest reports imply — whoever wrote them, through
gxdesk or hand-written SQL. A unit thus causes the status change its own report
implies and nothing else; calling the function itself can only set statuses
right.

The rule stays in one place, :func:`gxdesk.core.status.derive_status`. It
depends only on which statuses the latest reports say and on whether every
expected unit has reported, so the server holds its whole truth table
(``gxdesk_status_rule``, 2⁵ × 2 rows) written from that function; a change of
the rule in a later version rewrites the table when a lead account opens the
database (its fingerprint is kept in ``gxdesk_meta``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from gxdesk.core.model import Status
from gxdesk.core.status import derive_status

#: each status as one bit of a mask: the set of statuses a task's latest reports say
BITS: dict[Status, int] = {s: 1 << i for i, s in enumerate(Status)}
META_KEY = "status_rule"


def rule_rows() -> list[tuple[int, bool, str]]:
    """(mask, every expected unit reported, status) for every case, from derive_status."""
    rows = []
    for mask in range(1 << len(BITS)):
        kinds = [s for s, bit in BITS.items() if mask & bit]
        for complete in (False, True):
            expected = len(kinds) if complete else len(kinds) + 1
            rows.append((mask, complete, derive_status(kinds, expected).value))
    return rows


def fingerprint() -> str:
    text = repr(sorted((s.value, b) for s, b in BITS.items())) + repr(rule_rows())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_TABLES = [
    "CREATE TABLE IF NOT EXISTS gxdesk_status_bit (status TEXT PRIMARY KEY, bit INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS gxdesk_status_rule (
        mask INTEGER NOT NULL, complete BOOLEAN NOT NULL, status TEXT NOT NULL,
        PRIMARY KEY (mask, complete))""",
]

# The same counts as gxdesk.store.progress (EXPECTED_REPORTERS_SQL, _LATEST_COUNTS_SQL):
# a group counts as its members (at least one), cooperating units do not decide, the
# latest report of each assignment and unit that is not withdrawn.
_REFRESH = """
CREATE OR REPLACE FUNCTION gxdesk_refresh_status(ids integer[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
    WITH expected AS (
        SELECT a.task_id, sum(CASE WHEN u.is_group THEN greatest(1, (SELECT count(*)
            FROM group_member g WHERE g.group_id = a.unit_id)) ELSE 1 END) AS n
        FROM assignment a JOIN unit u ON u.id = a.unit_id
        WHERE a.task_id = ANY (ids) AND a.role <> 'cooperating' GROUP BY a.task_id
    ), latest AS (
        SELECT DISTINCT ON (p.assignment_id, p.unit_id) p.task_id, p.status
        FROM assignment a JOIN progress p ON p.assignment_id = a.id
        WHERE a.task_id = ANY (ids) AND a.role <> 'cooperating' AND NOT p.withdrawn
        ORDER BY p.assignment_id, p.unit_id, p.reported_at DESC, p.id DESC
    ), reported AS (
        SELECT l.task_id, count(*) AS n, bit_or(b.bit) AS mask
        FROM latest l JOIN gxdesk_status_bit b ON b.status = l.status GROUP BY l.task_id
    ), derived AS (
        SELECT t.id, r.status FROM task t
        LEFT JOIN expected e ON e.task_id = t.id
        LEFT JOIN reported x ON x.task_id = t.id
        JOIN gxdesk_status_rule r ON r.mask = coalesce(x.mask, 0)
            AND r.complete = (coalesce(x.n, 0) >= greatest(coalesce(e.n, 1), 1))
        WHERE t.id = ANY (ids)
    )
    UPDATE task SET status = d.status FROM derived d
    WHERE task.id = d.id AND task.status IS DISTINCT FROM d.status
$$"""

_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION gxdesk_progress_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM gxdesk_refresh_status(ARRAY(
            SELECT task_id FROM changed_rows UNION SELECT task_id FROM old_rows));
    ELSE
        PERFORM gxdesk_refresh_status(ARRAY(SELECT DISTINCT task_id FROM changed_rows));
    END IF;
    RETURN NULL;
END $$"""

_TRIGGERS = [
    "DROP TRIGGER IF EXISTS progress_status_added ON progress",
    "CREATE TRIGGER progress_status_added AFTER INSERT ON progress"
    " REFERENCING NEW TABLE AS changed_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION gxdesk_progress_status()",
    "DROP TRIGGER IF EXISTS progress_status_changed ON progress",
    "CREATE TRIGGER progress_status_changed AFTER UPDATE ON progress"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION gxdesk_progress_status()",
]


def install(conn: Any) -> None:
    """The rule tables, the function and the triggers, in the caller's transaction."""
    for statement in _TABLES:
        conn.execute(statement)
    conn.execute("DELETE FROM gxdesk_status_bit")
    conn.execute("DELETE FROM gxdesk_status_rule")
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO gxdesk_status_bit VALUES (%s, %s)", [(s.value, b) for s, b in BITS.items()]
        )
        cur.executemany("INSERT INTO gxdesk_status_rule VALUES (%s, %s, %s)", rule_rows())
    conn.execute(_REFRESH)
    conn.execute(_TRIGGER_FUNCTION)
    for statement in _TRIGGERS:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO gxdesk_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (META_KEY, fingerprint()),
    )


def installed(conn: Any) -> bool:
    """Whether the server holds this version's rule (readable by every gxdesk account)."""
    row = conn.execute("SELECT value FROM gxdesk_meta WHERE key = %s", (META_KEY,)).fetchone()
    return row is not None and row[0] == fingerprint()


def refresh(conn: Any, task_ids: Iterable[int]) -> None:
    """Have the server recompute the given tasks' statuses (a SQLAlchemy connection)."""
    ids = sorted(set(task_ids))
    if ids:
        conn.exec_driver_sql("SELECT gxdesk_refresh_status(%(ids)s::integer[])", {"ids": ids})
