"""Roles enforced by the server: a lead-office account and a unit's account, two real logins.

The unit's account is tried with hand-written SQL as well as with gxdesk itself:
row-level security must hold whatever the client.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from test_server_workflow import gx, ok

from gxdesk.store import queries
from gxdesk.store.server.database import open_server

pytestmark = pytest.mark.pg

SEED = "data/plan2014-table.txt"


@pytest.fixture
def accounts(pg_server, pg_url):  # type: ignore[no-untyped-def]
    """A server database with the 2014 plan; a lead login and 市审计局's login."""
    tag = uuid.uuid4().hex[:6]
    lead, audit = f"lead_{tag}", f"audit_{tag}"
    pg_server.add_login(lead, "lead-口令-1")
    pg_server.add_login(audit, "audit-口令-2")
    ok(pg_url, "import-plan", SEED, "--issued", "2014-09-26")
    assert lead in ok(pg_url, "grant-lead", lead)
    assert "市审计局" in ok(pg_url, "grant-unit", audit, "市审计局")
    dbname = pg_url.rsplit("/", 1)[1]
    return pg_url, pg_server.url(dbname, lead), pg_server.url(dbname, audit)


def _connect(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _report_sql(task_id: int, unit_id: int, assignment_id: int) -> tuple[str, tuple]:
    return (
        "INSERT INTO progress (assignment_id, task_id, unit_id, period, status, percent, text,"
        " done_on, evidence, problems, contact, phone, reported_at, source, source_file,"
        " source_sha256, export_id, batch_id, assignment_version, withdrawn) VALUES"
        " (%s, %s, %s, '2014-10', '推进中', NULL, '手工填报', NULL, '', '', '', '', now(),"
        " 'manual', '', '', '', NULL, 1, false)",
        (assignment_id, task_id, unit_id),
    )


def test_unit_account_sees_only_its_tasks(accounts) -> None:  # type: ignore[no-untyped-def]
    admin, _lead, audit = accounts
    db = open_server(admin)
    try:
        unit = queries.unit_by_name(db, "市审计局")
        mine = queries.task_ids_of_unit(db, unit.id)
        every = {t.id for t in queries.list_tasks(db, 1, on=dt.date(2014, 10, 20))}
    finally:
        db.close()
    assert mine and mine < every  # the unit has some tasks, not all
    with _connect(audit) as conn:
        seen = {r[0] for r in conn.execute("SELECT id FROM task")}
    assert seen == mine
    # and gxdesk itself, run under the unit's account, lists just those
    listed = json.loads(ok(audit, "tasks", "--json", "--on", "2014-10-20"))
    assert {t["id"] for t in listed} == mine


def test_unit_account_writes_only_its_own_reports(accounts) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    admin, _lead, audit = accounts
    with _connect(admin) as conn:
        audit_id, finance_id = (
            conn.execute("SELECT id FROM unit WHERE name = %s", (n,)).fetchone()[0]
            for n in ("市审计局", "市财政局")
        )
        # a task both units report on (via 市级各部门), and a task only 市财政局 has
        shared_task, a_id = conn.execute(
            "SELECT a.task_id, a.id FROM assignment a JOIN group_member g ON g.group_id = a.unit_id"
            " WHERE g.member_id = %s ORDER BY 1 LIMIT 1", (audit_id,)
        ).fetchone()  # fmt: skip
        other_task, other_a = conn.execute(
            "SELECT task_id, id FROM assignment WHERE unit_id = %s AND task_id NOT IN"
            " (SELECT task_id FROM assignment WHERE unit_id = %s) ORDER BY 1 LIMIT 1",
            (finance_id, audit_id),
        ).fetchone()
        conn.execute(*_report_sql(shared_task, finance_id, a_id))  # 市财政局's own report
        finance_report = conn.execute("SELECT max(id) FROM progress").fetchone()[0]
        tasks_before = conn.execute("SELECT md5(string_agg(t::text, '' ORDER BY id)) FROM task t").fetchone()[0]
    with _connect(audit) as conn:
        conn.execute(*_report_sql(shared_task, audit_id, a_id))  # its own: allowed
        mine = conn.execute("SELECT max(id) FROM progress WHERE unit_id = %s", (audit_id,)).fetchone()[0]
        assert mine is not None and mine != finance_report
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # as another unit: refused
            conn.execute(*_report_sql(shared_task, finance_id, a_id))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a task not its own
            conn.execute(*_report_sql(other_task, audit_id, other_a))
        changed = conn.execute(
            "UPDATE progress SET text = '改别人的' WHERE id = %s", (finance_report,)
        ).rowcount
        assert changed == 0  # another unit's report: not even visible to change
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE progress SET unit_id = %s WHERE id = %s", (finance_id, mine))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM progress WHERE id = %s", (mine,))
        for statement in (f"UPDATE task SET name = '改了' WHERE id = {shared_task}",
                          "DELETE FROM assignment", "UPDATE unit SET name = '改了'",
                          "SELECT setval('gxdesk_change_seq', 1)", "DELETE FROM unit_account",
                          "UPDATE merge_batch SET undone_at = now()"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        assert conn.execute("UPDATE progress SET text = '补充' WHERE id = %s", (mine,)).rowcount == 1
    with _connect(admin) as conn:
        text = conn.execute("SELECT text FROM progress WHERE id = %s", (finance_report,)).fetchone()[0]
        assert text == "手工填报"
        assert conn.execute("SELECT md5(string_agg(t::text, '' ORDER BY id)) FROM task t").fetchone()[0] == tasks_before


def test_unit_account_cannot_merge_but_lead_can(accounts, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from test_server_workflow import fill

    admin, lead, audit = accounts
    out = tmp_path / "out"
    out.mkdir()
    ok(lead, "export-units", str(out), "--unit", "市审计局")
    path = next(out.glob("*.xlsx"))
    fill(path, "推进中", "经由牵头单位")
    refused = gx(audit, "merge", str(path))
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "权限" in refused.stderr
    assert "Traceback" not in refused.stderr
    with _connect(admin) as conn:
        assert conn.execute("SELECT count(*) FROM merge_batch").fetchone()[0] == 0
    assert "已写入第 1 批" in ok(lead, "merge", str(path))
