"""A unit's own login reports through gxdesk itself, and the task's status follows.

The status is kept by the server (:mod:`gxdesk.store.server.status`): the unit's
account may not write ``task``, yet its report must move the task exactly as
far as the report implies. Real logins on the real server the tests start.
"""

from __future__ import annotations

import random
import uuid

import pytest
from test_server_workflow import ok

from gxdesk.core.model import Status
from gxdesk.core.status import derive_status
from gxdesk.core.workbook_data import UnitReport
from gxdesk.store.errors import describe
from gxdesk.store.progress import ReportInput, add_reports, withdraw_reports
from gxdesk.store.server.database import open_server
from gxdesk.store.server.status import BITS, rule_rows

pytestmark = pytest.mark.pg

SEED = "data/plan2014-table.txt"


@pytest.fixture
def unit_login(pg_server, pg_url):  # type: ignore[no-untyped-def]
    """(admin URL, 市审计局's login URL) on a server holding the 2014 plan."""
    audit = f"audit_{uuid.uuid4().hex[:6]}"
    pg_server.add_login(audit, "audit-口令-3")
    ok(pg_url, "import-plan", SEED, "--issued", "2014-09-26")
    ok(pg_url, "grant-unit", audit, "市审计局")
    return pg_url, pg_server.url(pg_url.rsplit("/", 1)[1], audit)


def _one(url: str, sql: str, *params: object):  # type: ignore[no-untyped-def]
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


def _dump(url: str) -> tuple[object, ...]:
    import psycopg

    with psycopg.connect(url) as conn:
        return tuple(
            conn.execute(f"SELECT md5(coalesce(string_agg(t::text, '' ORDER BY id), '')) FROM {t} t")
            .fetchone()[0]
            for t in ("task", "progress", "assignment")
        )


def _report(assignment_id: int, unit_id: int, status: Status, text: str) -> ReportInput:
    return ReportInput(assignment_id, unit_id, UnitReport(status=status, percent=100, text=text))


def test_the_servers_rule_table_is_derive_status() -> None:
    """derive_status depends only on the set of statuses and on completeness: the table
    the server holds gives what the function gives for any latest reports."""
    table = {(mask, complete): status for mask, complete, status in rule_rows()}
    assert len(table) == 2 ** len(Status) * 2
    rng = random.Random(14)
    for _ in range(3000):
        latest = [rng.choice(list(Status)) for _ in range(rng.randint(0, 6))]
        expected = rng.randint(0, 7)
        mask = 0
        for s in latest:
            mask |= BITS[s]
        complete = len(latest) >= max(expected, 1)
        assert table[(mask, complete)] == derive_status(latest, expected).value, (latest, expected)


def test_a_unit_reports_on_its_own_task_and_the_status_follows(unit_login) -> None:  # type: ignore[no-untyped-def]
    admin, audit = unit_login
    # 财政预算执行和其它财政收支审计信息公开: 市审计局 alone leads it
    task_id, a_id, unit_id = _one(
        admin,
        "SELECT t.id, a.id, a.unit_id FROM task t JOIN assignment a ON a.task_id = t.id"
        " JOIN unit u ON u.id = a.unit_id WHERE t.name LIKE '财政预算执行%%' AND u.name = '市审计局'",
    )
    assert _one(admin, "SELECT count(*) FROM assignment WHERE task_id = %s"
                " AND role != 'cooperating'", task_id)[0] == 1  # fmt: skip
    assert _one(admin, "SELECT status FROM task WHERE id = %s", task_id)[0] == "未启动"
    db = open_server(audit)
    try:
        with db.transaction() as session:  # as the window's 填报进展 does
            ids = add_reports(session, [_report(a_id, unit_id, Status.DONE, "审计结果公告已发布")])
        assert _one(admin, "SELECT unit_id, text FROM progress WHERE id = %s", ids[0]) == (
            unit_id, "审计结果公告已发布")  # fmt: skip
        assert _one(admin, "SELECT status FROM task WHERE id = %s", task_id)[0] == "已完成"
        with db.transaction() as session:  # the window's undo: withdrawn, the status goes back
            withdraw_reports(session, ids)
        assert _one(admin, "SELECT status FROM task WHERE id = %s", task_id)[0] == "未启动"
        with db.transaction() as session:  # several at once (the bulk path) under its limits too
            ids = add_reports(session, [_report(a_id, unit_id, Status.NOT_STARTED, "尚未开始"),
                                        _report(a_id, unit_id, Status.IN_PROGRESS, "正在整理")])
        assert len(ids) == 2
        assert _one(admin, "SELECT status FROM task WHERE id = %s", task_id)[0] == "推进中"
    finally:
        db.close()


def test_a_unit_cannot_report_for_another_unit_or_on_anothers_task(unit_login) -> None:  # type: ignore[no-untyped-def]
    admin, audit = unit_login
    audit_id = _one(admin, "SELECT id FROM unit WHERE name = '市审计局'")[0]
    finance_id = _one(admin, "SELECT id FROM unit WHERE name = '市财政局'")[0]
    # a task only 市财政局 has: the unit does not even see its assignment
    other_a = _one(
        admin,
        "SELECT id FROM assignment WHERE unit_id = %s AND task_id NOT IN"
        " (SELECT task_id FROM assignment WHERE unit_id = %s) ORDER BY 1 LIMIT 1",
        finance_id, audit_id,
    )[0]  # fmt: skip
    # a task both report on (through 市级各部门): visible, but the report is 市财政局's
    shared_a = _one(
        admin,
        "SELECT a.id FROM assignment a JOIN group_member g ON g.group_id = a.unit_id"
        " WHERE g.member_id = %s ORDER BY 1 LIMIT 1",
        audit_id,
    )[0]
    before = _dump(admin)
    db = open_server(audit)
    try:
        with pytest.raises(ValueError) as unseen, db.transaction() as session:
            add_reports(session, [_report(other_a, finance_id, Status.DONE, "冒名")])
        assert str(unseen.value).startswith("没有这项任务分工")
        with pytest.raises(Exception) as refused, db.transaction() as session:
            add_reports(session, [_report(shared_a, finance_id, Status.DONE, "冒名")])
        line = describe(refused.value)
        assert line == "数据库服务器拒绝了这项操作（本账号无此权限）：单位账号只能填报本单位任务的进展"
    finally:
        db.close()
    assert _dump(admin) == before  # nothing written, no status changed


def test_statuses_kept_by_the_server_match_the_programs_own_rule(pg_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Many reports of every status on the server; the same rows copied to a file and the
    statuses recomputed there by the program: every task's status is the same."""
    from gxdesk.store.database import open_database
    from gxdesk.store.progress import refresh_status

    ok(pg_url, "import-plan", SEED, "--issued", "2014-09-26")
    rng = random.Random(7)
    assignments = _all(pg_url, "SELECT a.id, a.unit_id FROM assignment a ORDER BY a.id")
    members = dict(_all(pg_url, "SELECT group_id, min(member_id) FROM group_member GROUP BY 1"))
    db = open_server(pg_url)
    try:
        for _round in range(4):
            picked = rng.sample(assignments, len(assignments) // 2)
            reports = [
                _report(a_id, members.get(unit_id, unit_id), rng.choice(list(Status)), "随机")
                for a_id, unit_id in picked
            ]
            with db.transaction() as session:
                ids = add_reports(session, reports)
            with db.transaction() as session:
                withdraw_reports(session, rng.sample(ids, len(ids) // 5))
        on_server = dict(_all(pg_url, "SELECT id, status FROM task"))
        copy = tmp_path / "copy.sqlite"
        ok(pg_url, "copy-to", str(copy))
    finally:
        db.close()
    assert len(set(on_server.values())) >= 3  # the reports moved the tasks to several statuses
    file_db = open_database(copy)
    try:
        with file_db.transaction() as session:
            session.connection().exec_driver_sql("UPDATE task SET status = '未启动'")
            refresh_status(session, on_server)
        with file_db.raw() as conn:
            on_file = dict(conn.execute("SELECT id, status FROM task"))
    finally:
        file_db.close()
    assert on_file == on_server


def _all(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()
