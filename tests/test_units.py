"""责任单位 phrases: parse_units."""

from __future__ import annotations

import pytest
from conftest import seed_cells
from hypothesis import given
from hypothesis import strategies as st

from gxdesk.core.model import Role, UnitRef, UnitSpec
from gxdesk.core.units import is_group_name, parse_units

LEAD, CO_LEAD, COOP = Role.LEAD, Role.CO_LEAD, Role.COOPERATING
RESP, IMPL = Role.RESPONSIBLE, Role.IMPLEMENTING


def refs(text: str, cooperating: str = "") -> list[tuple[str, Role, bool]]:
    spec = parse_units(text, cooperating)
    assert not spec.needs_review, spec
    return [(r.name, r.role, r.is_group) for r in spec.refs]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("市财政局牵头", [("市财政局", LEAD, False)]),
        ("市财政局牵  头", [("市财政局", LEAD, False)]),
        ("市财政局\n牵头", [("市财政局", LEAD, False)]),
        ("职业技术学院落实", [("职业技术学院", IMPL, False)]),
        ("市审计局负责", [("市审计局", RESP, False)]),
        (
            "市编办会同市政府法制办牵头",
            [("市编办", LEAD, False), ("市政府法制办", CO_LEAD, False)],
        ),
        (
            "市编办会同市政府法制办、市监察局牵头",
            [
                ("市编办", LEAD, False),
                ("市政府法制办", CO_LEAD, False),
                ("市监察局", CO_LEAD, False),
            ],
        ),
        ("市级各部门负责", [("市级各部门", RESP, True)]),
        ("市级各部门负  责", [("市级各部门", RESP, True)]),
        ("具有行政处罚权的行政机关和组织", [("具有行政处罚权的行政机关和组织", RESP, True)]),
        ("各县（市、区）政府", [("各县（市、区）政府", RESP, True)]),
        ("各有关单位", [("各有关单位", RESP, True)]),
        ("各相关部门", [("各相关部门", RESP, True)]),
        ("市直各单位", [("市直各单位", RESP, True)]),
        ("市直有关部门配合", [("市直有关部门", COOP, True)]),
        ("市政府办公厅（市政务公开办）", [("市政府办公厅（市政务公开办）", LEAD, False)]),
        (
            "市政府办公厅（市政务公开办、市信息中心）牵头",
            [("市政府办公厅（市政务公开办、市信息中心）", LEAD, False)],
        ),
        (
            "市财政局牵头，市审计局、市监察局配合",
            [("市财政局", LEAD, False), ("市审计局", COOP, False), ("市监察局", COOP, False)],
        ),
        (
            "市财政局牵头；各有关单位配合",
            [("市财政局", LEAD, False), ("各有关单位", COOP, True)],
        ),
        (
            "市财政局和市审计局牵头",
            [("市财政局", LEAD, False), ("市审计局", LEAD, False)],
        ),
        (
            "市财政局及市审计局",
            [("市财政局", LEAD, False), ("市审计局", LEAD, False)],
        ),
        (
            "市财政局、市审计局，市监察局,市人社局；市民政局;市环保局/市农业局",
            [
                (n, LEAD, False)
                for n in ("市财政局", "市审计局", "市监察局", "市人社局")
                + ("市民政局", "市环保局", "市农业局")
            ],
        ),
        ("市财政局 市审计局", [("市财政局", LEAD, False), ("市审计局", LEAD, False)]),
        ("市财政局\n市审计局", [("市财政局", LEAD, False), ("市审计局", LEAD, False)]),
        ("市政府 办公室", [("市政府办公室", LEAD, False)]),
        ("市 财 政 局", [("市财政局", LEAD, False)]),
        ("市财政局、市财政局牵头，市财政局配合", [("市财政局", LEAD, False)]),
        ("市财政局牵头负责", [("市财政局", LEAD, False)]),
    ],
)
def test_phrases(phrase: str, expected: list[tuple[str, Role, bool]]) -> None:
    assert refs(phrase) == expected


def test_text_is_normalised_phrase() -> None:
    assert parse_units("市财政局牵  头").text == "市财政局牵头"
    assert parse_units("市财政局　市审计局").text == "市财政局 市审计局"
    assert parse_units("市第１中学落实").refs == (UnitRef("市第1中学", IMPL),)


def test_separate_cooperating_column() -> None:
    spec = parse_units("市财政局", "市审计局、市监察局")
    assert spec == UnitSpec(
        "市财政局；配合：市审计局、市监察局",
        (UnitRef("市财政局", LEAD), UnitRef("市审计局", COOP), UnitRef("市监察局", COOP)),
    )
    assert spec.leads == ["市财政局"]
    assert spec.cooperating == ["市审计局", "市监察局"]
    assert parse_units(spec.text) == spec


def test_cooperating_column_only_and_groups() -> None:
    spec = parse_units("", "各有关单位")
    assert spec == UnitSpec("配合：各有关单位", (UnitRef("各有关单位", COOP, True),))
    assert spec.groups == ["各有关单位"]


def test_unit_in_both_columns_keeps_first_role() -> None:
    assert refs("市财政局牵头", "市财政局、市审计局") == [
        ("市财政局", LEAD, False),
        ("市审计局", COOP, False),
    ]


def test_two_lead_names_properties() -> None:
    spec = parse_units("市编办会同市政府法制办牵头")
    assert spec.leads == ["市编办", "市政府法制办"]
    assert spec.cooperating == [] and spec.groups == []


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("市级各部门", True),
        ("各县（市、区）政府", True),
        ("具有行政处罚权的行政机关和组织", True),
        ("市直有关单位", True),
        ("市政府及其部门", True),
        ("市财政局", False),
        ("市政府办公厅（市政务公开办）", False),
        ("市国资委", False),
    ],
)
def test_group_rule(name: str, group: bool) -> None:
    assert is_group_name(name) is group


@pytest.mark.parametrize("phrase", ["", " ", "\n\u3000"])
def test_empty(phrase: str) -> None:
    assert parse_units(phrase) == UnitSpec("", (), False)


@pytest.mark.parametrize(
    "phrase",
    [
        "牵头",  # a verb with no unit
        "，、",  # no unit at all
        "市财政局（市政务公开办",  # unbalanced bracket
        "市财政局牵头，市审计局",  # verb-less name after a verb
        "市财政局等单位",
        "会同市财政局牵头",
        "由市政府统一部署后按照有关规定分阶段组织各方面力量认真开展并及时报送结果",
        "领导小组指导",
    ],
)
def test_unclear_phrases_are_flagged_but_kept(phrase: str) -> None:
    spec = parse_units(phrase)
    assert spec.needs_review
    assert spec.text == phrase
    assert all(r.name and r.name in phrase for r in spec.refs)


def test_best_effort_on_flagged_phrase() -> None:
    spec = parse_units("市财政局牵头，市审计局")
    assert [r.name for r in spec.refs] == ["市财政局", "市审计局"]


# --- the seed plan -------------------------------------------------------------

SEED_UNITS = [
    ("市级各部门负责", [("市级各部门", RESP, True)]),
    ("市编办会同市政府法制办牵头", [("市编办", LEAD, False), ("市政府法制办", CO_LEAD, False)]),
    ("具有行政处罚权的行政机关和组织", [("具有行政处罚权的行政机关和组织", RESP, True)]),
    ("市财政局牵  头", [("市财政局", LEAD, False)]),
    ("市审计局牵  头", [("市审计局", LEAD, False)]),
    ("市国土资源局牵头", [("市国土资源局", LEAD, False)]),
    ("市农业局牵  头", [("市农业局", LEAD, False)]),
    ("市住建局牵  头", [("市住建局", LEAD, False)]),
    ("职业技术学院落实", [("职业技术学院", IMPL, False)]),
    ("市食品药品监管局牵头", [("市食品药品监管局", LEAD, False)]),
    ("市发展改革委牵头", [("市发展改革委", LEAD, False)]),
    ("市国资委牵  头", [("市国资委", LEAD, False)]),
]


@pytest.mark.parametrize(("phrase", "expected"), SEED_UNITS)
def test_seed_phrases(phrase: str, expected: list[tuple[str, Role, bool]]) -> None:
    assert refs(phrase) == expected


def test_every_seed_unit_cell_is_understood() -> None:
    specs = [parse_units(cell) for cell in seed_cells(4)]
    assert not [s.text for s in specs if s.needs_review]
    filled = [s for s in specs if s.text]
    assert len(filled) == 22
    assert all(s.refs for s in filled)
    assert {n for s in filled for n in s.groups} == {"市级各部门", "具有行政处罚权的行政机关和组织"}


# --- properties ----------------------------------------------------------------

UNIT_CHARS = (
    "市县区各级部门单位财政局审计委办政府法制中心学院"
    "（）()、，,；;/ 　\n和及与牵头配合负责落实会同等：有关相直机组织及其１A"
)
phrases = st.one_of(st.text(), st.text(alphabet=UNIT_CHARS, max_size=30))


@given(phrases, st.one_of(st.just(""), phrases))
def test_property_never_raises(text: str, cooperating: str) -> None:
    spec = parse_units(text, cooperating)
    names = [r.name for r in spec.refs]
    assert len(names) == len(set(names))
    assert all(name and name in spec.text for name in names)
    if not spec.text:
        assert spec == UnitSpec("", (), False)


@given(phrases)
def test_property_parse_is_idempotent_on_its_text(text: str) -> None:
    spec = parse_units(text)
    assert parse_units(spec.text) == spec
