"""gxdesk.store.edits: each edit reverts through the same function, versions are bumped."""

from __future__ import annotations

import pytest
from ui_helpers import seed_copy

from gxdesk.core.model import Role, Status, UnitRef
from gxdesk.core.units import parse_units
from gxdesk.core.workbook_data import UnitReport
from gxdesk.store.changes import EditError, TaskEdit, UnitsEdit
from gxdesk.store.database import open_database
from gxdesk.store.edits import (
    edit_task,
    render_units,
    set_plan_issued,
    set_task_units,
)
from gxdesk.store.progress import ReportInput, add_reports
from gxdesk.store.schema import Assignment, Plan, Task


@pytest.fixture
def db(tmp_path):
    database = open_database(seed_copy(tmp_path))
    yield database
    database.close()


@pytest.mark.parametrize(
    "refs",
    [
        (UnitRef("市财政局", Role.LEAD),),
        (UnitRef("市编办", Role.LEAD), UnitRef("市政府法制办", Role.CO_LEAD)),
        (UnitRef("市财政局", Role.LEAD), UnitRef("市审计局", Role.COOPERATING)),
        (UnitRef("职业技术学院", Role.IMPLEMENTING),),
        (UnitRef("市级各部门", Role.RESPONSIBLE, True),),
    ],
)
def test_rendered_units_parse_back_to_the_same_refs(refs):
    assert parse_units(render_units(refs)).refs == refs


def test_edit_task_reverts_with_its_before_value_and_bumps_versions(db):
    with db.transaction() as s:
        task = s.query(Task).filter_by(name="预算和决算公开").one()
        change = edit_task(s, task.id, TaskEdit(deadline_text="10月底前", deadline_inferred=False))
    assert change.tasks == {task.id}
    with db.reading() as s:
        t = s.get(Task, task.id)
        assert (t.deadline_kind, str(t.deadline_due), t.version) == ("fixed", "2014-10-31", 2)
        assert s.get(Plan, t.plan_id).revision == 2
        assert {a.version for a in s.query(Assignment).filter_by(task_id=task.id)} == {2}
    with db.transaction() as s:
        edit_task(s, task.id, change.before)
    with db.reading() as s:
        t = s.get(Task, task.id)
        assert (t.deadline_text, str(t.deadline_due), t.version) == ("年内", "2014-12-31", 3)


def test_units_edit_keeps_reported_units_and_reverts(db):
    with db.transaction() as s:
        task = s.query(Task).filter_by(name="预算和决算公开").one()
        a = s.query(Assignment).filter_by(task_id=task.id).one()
        add_reports(s, [ReportInput(a.id, a.unit_id, UnitReport(Status.IN_PROGRESS, text="在办"))])
        change = set_task_units(
            s,
            task.id,
            UnitsEdit((UnitRef("市财政局", Role.LEAD), UnitRef("市审计局", Role.COOPERATING))),
        )
    assert change.before.text == "市财政局牵头"
    with db.reading() as s:
        assert s.get(Task, task.id).units_text == "市财政局牵头；配合：市审计局"
        assert s.query(Assignment).filter_by(task_id=task.id).count() == 2
    with pytest.raises(EditError), db.transaction() as s:
        set_task_units(s, task.id, UnitsEdit((UnitRef("市审计局", Role.LEAD),)))
    with db.transaction() as s:
        set_task_units(s, task.id, change.before)
    with db.reading() as s:
        assert s.get(Task, task.id).units_text == "市财政局牵头"
        assert [x.id for x in s.query(Assignment).filter_by(task_id=task.id)] == [a.id]


def test_plan_issue_date_reverts(db):
    import datetime as dt

    with db.transaction() as s:
        change = set_plan_issued(s, 1, dt.date(2014, 10, 8))
    assert change.plan and change.before == dt.date(2014, 9, 26)
    with db.transaction() as s:
        set_plan_issued(s, 1, change.before)
    with db.reading() as s:
        assert s.get(Plan, 1).issued_on == dt.date(2014, 9, 26)
