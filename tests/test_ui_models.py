"""Every custom item model through pytest-qt's model tester, plus filtering/sorting rules."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import ON, seed_copy

from gxdesk.core.model import DeadlineKind, Light, Role, Status
from gxdesk.core.views import AssignmentView, ProgressView, TaskRow
from gxdesk.store import queries
from gxdesk.store.database import open_database
from gxdesk.ui.category_model import CategoryTreeModel
from gxdesk.ui.history_model import AssignmentModel, ProgressHistoryModel
from gxdesk.ui.qt import Qt
from gxdesk.ui.task_model import Column, TaskFilter, TaskTableModel


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    db = open_database(seed_copy(tmp_path_factory.mktemp("models")))
    plan = queries.current_plan(db)
    rows = queries.list_tasks(db, plan.id, on=ON)
    cats = queries.categories(db, plan.id)
    yield db, rows, cats
    db.close()


def test_task_model_passes_the_model_tester(qtmodeltester, seed):
    _db, rows, _cats = seed
    model = TaskTableModel()
    model.set_rows(rows, lambda due: (due - ON).days)
    qtmodeltester.check(model, force_py=True)
    model.set_filter(TaskFilter(text="公开", light=Light.GREEN))
    model.sort(Column.DUE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_category_model_passes_the_model_tester(qtmodeltester, seed):
    _db, rows, cats = seed
    model = CategoryTreeModel()
    model.set_data(cats, rows)
    qtmodeltester.check(model, force_py=True)
    root = model.root_index()
    assert model.rowCount(root) == 8
    assert model.index(0, 1, root).data() == str(sum(r.category_id == cats[0].id for r in rows))
    assert model.index(0, 1).data() == "34"


def test_detail_models_pass_the_model_tester(qtmodeltester):
    history = ProgressHistoryModel()
    history.set_rows(
        [
            ProgressView(
                1,
                1,
                1,
                1,
                "市审计局",
                "2014-09",
                Status.DONE,
                100,
                "已公开",
                dt.date(2014, 9, 20),
                "",
                "",
                "张三",
                "123",
                dt.datetime(2014, 9, 21, 9),
                "manual",
                "",
            )
        ]
    )
    qtmodeltester.check(history, force_py=True)
    assert history.index(0, 0).data() == "2014年9月21日 09:00"
    units = AssignmentModel()
    units.set_rows([AssignmentView(1, 1, 1, "市财政局", Role.LEAD, False, True, 1, 0)])
    qtmodeltester.check(units, force_py=True)
    assert units.index(0, 0).data() == "市财政局 · 牵头（推断）"


def _row(i: int, **kw) -> TaskRow:
    base = dict(
        id=i,
        plan_id=1,
        category_id=1 + i % 3,
        category_seq=1 + i % 3,
        category_title="类",
        seq=i,
        name=f"任务{i}",
        requirement="",
        deadline_text="年内",
        deadline_kind=DeadlineKind.FIXED,
        due=dt.date(2014, 1, 1) + dt.timedelta(days=i % 365),
        deadline_inferred=False,
        deadline_review=False,
        units_text="市财政局牵头",
        units_inferred=False,
        units_review=False,
        status=Status.NOT_STARTED,
        light=(Light.RED, Light.YELLOW, Light.GREEN)[i % 3],
        latest_text="",
        latest_unit="",
        latest_at=None,
        version=1,
    )
    base.update(kw)
    return TaskRow(**base)


def test_filters_combine_and_due_within_counts_working_days():
    model = TaskTableModel()
    rows = [_row(i) for i in range(60)]
    model.set_rows(rows, lambda due: (due - dt.date(2014, 1, 10)).days)
    model.set_filter(TaskFilter(category_id=2, light=Light.YELLOW))
    assert {(r.category_id, r.light) for r in model.visible_rows} == {(2, Light.YELLOW)}
    model.set_filter(TaskFilter(due_within=3))
    assert [r.id for r in model.visible_rows] == [9, 10, 11, 12]
    model.set_filter(TaskFilter(text="任务5"))
    assert [r.name for r in model.visible_rows] == ["任务5"] + [f"任务{i}" for i in range(50, 60)]


def test_sorting_keeps_the_filter_and_is_stable():
    model = TaskTableModel()
    model.set_rows([_row(i) for i in range(30)])
    model.sort(Column.LIGHT, Qt.SortOrder.AscendingOrder)
    lights = [r.light for r in model.visible_rows]
    assert lights == sorted(lights, key=[Light.RED, Light.YELLOW, Light.GREEN].index)
    model.set_filter(TaskFilter(category_id=1))
    assert all(r.category_id == 1 for r in model.visible_rows)
    assert [r.light for r in model.visible_rows][0] is Light.RED  # still sorted by light
