"""Importing the 2014 seed text gives the plan the Word table holds, field by field."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SEED_COPY

from gxdesk.core.model import DeadlineKind, RawPlan, Role
from gxdesk.core.plan import PlanYearUnknown, build_plan, split_category, year_from_title
from gxdesk.exchange.plan_reader import read_plan

# (category, name, deadline text, kind, due, deadline inferred, units text, units inferred)
D = dt.date
EXPECTED = [
    (
        1,
        "清理《条例》施行前政府信息（尚未移交国家档案管理部门）",
        "由近及远逐年完成",
        "recurring",
        None,
        False,
        "市级各部门负责",
        False,
    ),
    (1, "信息解读工作", "8月底前", "fixed", D(2014, 8, 31), False, "市级各部门负责", True),
    (
        1,
        "建立健全政务舆情收集、研判、处置和回应机制",
        "6月底前",
        "fixed",
        D(2014, 6, 30),
        False,
        "市级各部门负责",
        True,
    ),
    (1, "政府信息公开平台建设", "9月底前", "fixed", D(2014, 9, 30), False, "市级各部门负责", True),
    (
        2,
        "行政审批信息公开",
        "文件下发20个工作日内",
        "relative",
        None,
        False,
        "市编办会同市政府法制办牵头",
        False,
    ),
    (
        2,
        "行政处罚信息公开",
        "处罚决定文件下发20个工作日内",
        "per_event",
        None,
        False,
        "具有行政处罚权的行政机关和组织",
        False,
    ),
    (3, "预算和决算公开", "年内", "fixed", D(2014, 12, 31), False, "市财政局牵头", False),
    (3, "“三公”经费公开", "年内", "fixed", D(2014, 12, 31), True, "市财政局牵头", True),
    (
        3,
        "财政预算执行和其它财政收支审计信息公开",
        "9月底前",
        "fixed",
        D(2014, 9, 30),
        False,
        "市审计局牵头",
        False,
    ),
    (4, "征地信息公开", "文件下发20个工作日内", "relative", None, False, "市国土资源局牵头", False),
    (
        4,
        "矿业权出让信息公开",
        "文件下发20个工作日内",
        "relative",
        None,
        True,
        "市国土资源局牵头",
        True,
    ),
    (4, "国有建设用地使用权信息公开", "实时", "continuous", None, False, "市国土资源局牵头", True),
    (
        4,
        "农村土地承包经营权流转信息公开",
        "文件下发20个工作日内",
        "relative",
        None,
        False,
        "市农业局牵头",
        False,
    ),
    (4, "国有土地上房屋征收与补偿信息", "实时", "continuous", None, False, "市住建局牵头", False),
    (4, "保障性住房信息公开", "实时", "continuous", None, True, "市住建局牵头", True),
    (4, "政府采购信息公开", "年内", "fixed", D(2014, 12, 31), False, "市财政局牵头", False),
    (4, "工程建设项目信息公开", "实时", "continuous", None, False, "市级各部门负责", False),
    (
        5,
        "招生信息和财务信息公开",
        "年内",
        "fixed",
        D(2014, 12, 31),
        False,
        "职业技术学院落实",
        False,
    ),
    (
        5,
        "科技管理和项目经费信息公开",
        "年内",
        "fixed",
        D(2014, 12, 31),
        True,
        "市科技局牵头",
        False,
    ),
    (5, "医疗卫生领域信息公开", "年内", "fixed", D(2014, 12, 31), True, "市卫生局牵头", False),
    (5, "就业信息公开", "文件下发20个工作日内", "relative", None, False, "市人社局牵头", False),
    (5, "社会保障信息公开", "文件下发20个工作日内", "relative", None, True, "市民政局牵头", False),
    (6, "环境信息公开", "实时", "continuous", None, False, "市环保局牵头", False),
    (6, "安全生产事故信息公开", "实时", "continuous", None, True, "市安监局牵头", False),
    (6, "国有企业财务相关信息", "年内", "fixed", D(2014, 12, 31), False, "市国资委牵头", False),
    (6, "食品药品安全信息公开", "实时", "continuous", None, False, "市食品药品监管局牵头", False),
    (6, "信用信息公开", "实时", "continuous", None, True, "市发展改革委牵头", False),
    (7, "依申请公开", "9月底前", "fixed", D(2014, 9, 30), False, "市级各部门负责", False),
    (8, "建立经常性教育培训机制", "年内", "fixed", D(2014, 12, 31), False, "市级各部门负责", False),
    (8, "落实信息公开属性源头认定机制", "实时", "continuous", None, False, "市级各部门负责", True),
    (
        8,
        "加强信息公开保密审查制度建设",
        "6月底前",
        "fixed",
        D(2014, 6, 30),
        False,
        "市级各部门负责",
        True,
    ),
    (
        8,
        "建立政府信息公开指南和公开目录更新完善机制",
        "实时",
        "continuous",
        None,
        False,
        "市级各部门负责",
        True,
    ),
    (8, "加强制度建设", "年内", "fixed", D(2014, 12, 31), False, "市级各部门负责", True),
    (8, "机构和队伍建设", "年内", "fixed", D(2014, 12, 31), True, "市级各部门负责", True),
]


@pytest.fixture(scope="module")
def draft():
    return build_plan(read_plan(SEED_COPY), issued=D(2014, 9, 26))


def test_seed_plan_has_34_tasks_in_8_categories(draft) -> None:
    assert draft.year == 2014  # from the title
    assert len(draft.categories) == 8
    assert [c.seq for c in draft.categories] == list(range(1, 9))
    assert draft.categories[2].title == "推进财政资金信息公开"
    assert len(draft.tasks) == 34


@pytest.mark.parametrize("index", range(34))
def test_every_seed_task_field(draft, index: int) -> None:
    cat, name, text, kind, due, d_inf, units, u_inf = EXPECTED[index]
    task = draft.tasks[index]
    assert draft.categories[task.category].seq == cat
    assert task.name.text == name
    assert task.deadline_spec.text == text
    assert task.deadline_spec.kind == DeadlineKind(kind)
    assert task.deadline_spec.due == due
    assert task.deadline.inferred is d_inf
    assert task.unit_spec.text == units
    assert task.units.inferred is u_inf
    assert not task.deadline_spec.needs_review and not task.unit_spec.needs_review


def test_seed_unit_roles(draft) -> None:
    by_name = {t.name.text: t.unit_spec for t in draft.tasks}
    spec = by_name["行政审批信息公开"]
    assert spec.leads == ["市编办", "市政府法制办"]
    assert [r.role for r in spec.refs] == [Role.LEAD, Role.CO_LEAD]
    assert by_name["行政处罚信息公开"].groups == ["具有行政处罚权的行政机关和组织"]
    assert by_name["招生信息和财务信息公开"].refs[0].role == Role.IMPLEMENTING
    assert by_name["依申请公开"].groups == ["市级各部门"]


def test_category_numbering_and_year() -> None:
    assert split_category("十二、其他") == (12, "其他")
    assert split_category("3.推进公开") == (3, "推进公开")
    assert split_category("没有编号") == (None, "没有编号")
    assert year_from_title("２０１５年政府信息公开工作要点") == 2015
    with pytest.raises(PlanYearUnknown):
        build_plan(RawPlan(title="政府信息公开工作要点", rows=()))


def test_category_numbers_are_written_as_the_plan_reads_them() -> None:
    from gxdesk.core.numerals import category_label, chinese_number, parse_chinese_number

    for n in range(1, 100):
        assert parse_chinese_number(chinese_number(n)) == n
    assert [chinese_number(n) for n in (1, 10, 12, 20, 35)] == [
        "一",
        "十",
        "十二",
        "二十",
        "三十五",
    ]
    label = category_label(3, "推进财政资金信息公开")
    assert split_category(label) == (3, "推进财政资金信息公开")
