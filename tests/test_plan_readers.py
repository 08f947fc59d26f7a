"""The plan readers: text export, .docx, .xlsx, and read_plan's dispatch by content."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from docx.oxml.ns import qn
from planfiles_make import (
    HEADER_2014,
    SMALL_PLAN,
    TITLE_2015,
    make_2015_xlsx,
    make_docx_sections,
    make_docx_table,
    make_seed_docx,
    make_xlsx,
    seed_plan,
    seed_text,
    vmerge_states,
)

from gxdesk.core.model import Cell, RawPlan
from gxdesk.exchange.plan_reader import read_plan
from gxdesk.exchange.plan_table import HEADER_EXPECTED, match_header
from gxdesk.exchange.plan_text import read_plan_text
from gxdesk.exchange.safety import BadFileError

CATEGORIES_2014 = (
    "一、加强主动公开工作，全面贯彻落实《条例》",
    "二、推进行政权力信息公开",
    "三、推进财政资金信息公开",
    "四、加强公共资源配置信息公开",
    "五、加强公共服务信息公开",
    "六、推动公共监管信息公开",
    "七、做好依申请公开工作",
    "八、加强制度建设和基础建设",
)
W20 = "文件下发20个工作日内"
CITY = "市级各部门负责"
# (category no., 工作任务, 完成时限, inferred, 责任单位, inferred) — read from the seed by eye
EXPECTED_2014 = (
    (
        1,
        "清理《条例》施行前政府信息（尚未移交国家档案管理部门）",
        "由近及远逐年完成",
        False,
        CITY,
        False,
    ),
    (1, "信息解读工作", "8月底前", False, CITY, True),
    (1, "建立健全政务舆情收集、研判、处置和回应机制", "6月底前", False, CITY, True),
    (1, "政府信息公开平台建设", "9月底前", False, CITY, True),
    (2, "行政审批信息公开", W20, False, "市编办会同市政府法制办牵头", False),
    (
        2,
        "行政处罚信息公开",
        "处罚决定文件下发20个工作日内",
        False,
        "具有行政处罚权的行政机关和组织",
        False,
    ),
    (3, "预算和决算公开", "年内", False, "市财政局牵头", False),
    (3, "“三公”经费公开", "年内", True, "市财政局牵头", True),
    (3, "财政预算执行和其它财政收支审计信息公开", "9月底前", False, "市审计局牵头", False),
    (4, "征地信息公开", W20, False, "市国土资源局牵头", False),
    (4, "矿业权出让信息公开", W20, True, "市国土资源局牵头", True),
    (4, "国有建设用地使用权信息公开", "实时", False, "市国土资源局牵头", True),
    (4, "农村土地承包经营权流转信息公开", W20, False, "市农业局牵头", False),
    (4, "国有土地上房屋征收与补偿信息", "实时", False, "市住建局牵头", False),
    (4, "保障性住房信息公开", "实时", True, "市住建局牵头", True),
    (4, "政府采购信息公开", "年内", False, "市财政局牵头", False),
    (4, "工程建设项目信息公开", "实时", False, CITY, False),
    (5, "招生信息和财务信息公开", "年内", False, "职业技术学院落实", False),
    (5, "科技管理和项目经费信息公开", "年内", True, "市科技局牵头", False),
    (5, "医疗卫生领域信息公开", "年内", True, "市卫生局牵头", False),
    (5, "就业信息公开", W20, False, "市人社局牵头", False),
    (5, "社会保障信息公开", W20, True, "市民政局牵头", False),
    (6, "环境信息公开", "实时", False, "市环保局牵头", False),
    (6, "安全生产事故信息公开", "实时", True, "市安监局牵头", False),
    (6, "国有企业财务相关信息", "年内", False, "市国资委牵头", False),
    (6, "食品药品安全信息公开", "实时", False, "市食品药品监管局牵头", False),
    (6, "信用信息公开", "实时", True, "市发展改革委牵头", False),
    (7, "依申请公开", "9月底前", False, CITY, False),
    (8, "建立经常性教育培训机制", "年内", False, CITY, False),
    (8, "落实信息公开属性源头认定机制", "实时", False, CITY, True),
    (8, "加强信息公开保密审查制度建设", "6月底前", False, CITY, True),
    (8, "建立政府信息公开指南和公开目录更新完善机制", "实时", False, CITY, True),
    (8, "加强制度建设", "年内", False, CITY, True),
    (8, "机构和队伍建设", "年内", True, CITY, True),
)


def _summary(plan: RawPlan):
    return tuple(
        (
            CATEGORIES_2014.index(r.category.text) + 1,
            r.name.text,
            r.deadline.text,
            r.deadline.inferred,
            r.units.text,
            r.units.inferred,
        )
        for r in plan.rows
    )


def _no_where(plan: RawPlan):
    return [dataclasses.replace(r, where="") for r in plan.rows]


# --- text ---------------------------------------------------------------------------


def test_seed_text_gives_the_34_rows_of_the_table():
    plan = read_plan_text(seed_text())
    assert plan.title == "2014年政府信息公开工作要点分解细化方案"
    assert plan.source == "text"
    assert plan.warnings == ()
    assert len(plan.rows) == 34
    assert _summary(plan) == EXPECTED_2014


def test_seed_text_inferred_cells_have_no_raw_and_filled_cells_keep_raw():
    rows = read_plan_text(seed_text()).rows
    by_name = {r.name.text: r for r in rows}
    sangong = by_name["“三公”经费公开"]
    assert sangong.deadline == Cell("年内", "", True)
    assert sangong.units == Cell("市财政局牵头", "", True)
    first = rows[0]
    assert first.deadline == Cell("由近及远逐年完成", "由近及远\n逐年完成", False)
    assert first.category.inferred is False
    assert by_name["预算和决算公开"].deadline == Cell("年内", "年  内", False)
    assert by_name["预算和决算公开"].units.raw == "市财政局牵  头"
    # category cells below the first row of a category are inferred
    assert [r.category.inferred for r in rows[:4]] == [False, True, True, True]
    assert all(r.seq == "" for r in rows)
    assert all(r.cooperating == Cell("", "", False) for r in rows)


def test_seed_text_rows_are_rebuilt_by_counting_cells():
    rows = read_plan_text(seed_text()).rows
    env = rows[22]
    assert env.name.text == "环境信息公开"
    assert env.category.text == "六、推动公共监管信息公开"
    assert env.deadline == Cell("实时", "实  时", False)  # not swallowed by the stray blanks
    assert env.units == Cell("市环保局牵头", "市环保局牵  头", False)
    assert env.where == "第144行"
    assert rows[0].where == "第8行"
    assert rows[1].where == "第15行"
    assert rows[-1].where == "第218行"
    assert rows[-1].requirement.text == "明确负责机构，加强力量配备，保障必要的工作经费。"


def test_new_category_with_empty_deadline_does_not_inherit_from_previous_category():
    text = (
        "标题\n\t类别\n\t工作任务\n\t工作要求\n\t完成时限\n\t责任单位\n\n"
        "\t一、甲\n\t任务一\n\t要求一\n\t年内\n\t市财政局牵头\n\n"
        "\t二、乙\n\t任务二\n\t要求二\n\t\n\t\n\n"
        "\t\n\t任务三\n\t要求三\n\t\n\t市民政局牵头\n"
    )
    rows = read_plan_text(text).rows
    assert rows[1].deadline == Cell("", "", False)
    assert rows[1].units == Cell("", "", False)
    assert rows[2].deadline == Cell("", "", False)  # nothing above in category 二
    assert rows[2].category == Cell("二、乙", "", True)


def test_text_continuation_lines_and_blank_lines():
    text = (
        "标题\r\n\t类别\r\n\t工作任务\r\n\t工作要求\r\n\t完成时限\r\n\t责任单位\r\n\r\n"
        "\t一、甲\r\n\t任务\r\n\t第一段\r\n\r\n第二段\r\n\r\n\r\n\t文件下发20\r\n个工作日内\r\n\r\n"
        "\r\n\t市财政局牵头\r\n"
    )
    (row,) = read_plan_text(text).rows
    assert row.requirement.raw == "第一段\n\n第二段"  # inner blank kept, trailing dropped
    assert row.deadline == Cell("文件下发20个工作日内", "文件下发20\n个工作日内", False)
    assert row.units.raw == "市财政局牵头"


def test_text_with_a_missing_cell_at_the_end_is_refused():
    text = seed_text().rstrip("\n\t")
    text = text[: text.rindex("\n\t")]  # drop the last cell that has content
    with pytest.raises(BadFileError, match="单元格"):
        read_plan_text(text)


def test_text_without_header_is_refused():
    with pytest.raises(BadFileError) as err:
        read_plan_text("一些文字\n\t甲\n\t乙\n")
    assert str(err.value) == HEADER_EXPECTED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_read_plan_decodes_text_files(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text().encode(encoding))
    plan = read_plan(path)
    assert plan.source == "text"
    assert _summary(plan) == EXPECTED_2014


def test_text_file_named_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text(seed_text(), encoding="utf-8")
    assert len(read_plan(path).rows) == 34
    other = tmp_path / "notes.xlsx"
    other.write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    with pytest.raises(BadFileError) as err:
        read_plan(other)
    assert str(err.value) == HEADER_EXPECTED


# --- docx ---------------------------------------------------------------------------


def test_seed_docx_has_real_vertical_merges(tmp_path):
    import docx

    path = make_seed_docx(tmp_path / "seed.docx")
    tbl = docx.Document(path).tables[0]._tbl
    trs = tbl.findall(qn("w:tr"))
    first_col = vmerge_states([tr.findall(qn("w:tc"))[0] for tr in trs[1:5]])
    assert first_col == ["restart", "continue", "continue", "continue"]


def test_seed_docx_reads_like_the_text(tmp_path):
    text_plan = seed_plan()
    plan = read_plan(make_seed_docx(tmp_path / "seed.docx"))
    assert plan.source == "docx"
    assert plan.title == text_plan.title
    assert _summary(plan) == EXPECTED_2014
    assert _no_where(plan) == _no_where(text_plan)
    assert plan.rows[0].where == "表1第2行"


def test_docx_sections_seq_and_cooperating_columns(tmp_path):
    plan = read_plan(make_docx_sections(tmp_path / "s.docx"))
    assert plan.title == "2016年政务公开工作要点任务分工"
    assert [r.seq for r in plan.rows] == ["1", "2", "3"]
    assert [r.category.text for r in plan.rows] == ["一、推进决策公开"] * 2 + ["二、推进执行公开"]
    second = plan.rows[1]
    assert second.deadline == Cell("6月底前", "", True)  # vMerge continue
    assert second.units == Cell("市政府研究室", "市政府研究室", False)
    assert second.cooperating == Cell("", "", False)  # blank, not merged: stays blank
    assert plan.rows[0].cooperating.text == "市级各部门"
    assert plan.rows[2].where == "表1第6行"


def test_docx_without_plan_table_is_refused(tmp_path):
    path = make_docx_table(tmp_path / "x.docx", "通知", [("姓名", "电话"), ("张三", "123")])
    with pytest.raises(BadFileError) as err:
        read_plan(path)
    assert str(err.value) == HEADER_EXPECTED


# --- xlsx ---------------------------------------------------------------------------


def test_2015_xlsx_every_cell(tmp_path):
    plan = read_plan(make_2015_xlsx(tmp_path / "p.xlsx"))
    assert plan.source == "xlsx"
    assert plan.title == TITLE_2015
    assert plan.warnings == ()
    c1, c2, c3 = "一、推进行政权力清单公开", "二、推进财政资金信息公开", "三、做好政策解读"

    def own(t):
        return Cell(t.replace(" ", ""), t, False)

    def inf(t):
        return Cell(t, "", True)

    empty = Cell("", "", False)
    expected = [
        ("1", own(c1), "权力清单公开", "公开市政府部门权力清单", own("2015年6月底前"),
         "市编办", own("市政府法制办、市政务服务中心"), "第4行"),
        ("2", inf(c1), "行政处罚结果公开", "=处罚结果7日内上网", own("处罚决定作出之日起7个工作日内"),
         "市政府法制办", own("具有行政处罚权的部门"), "第5行"),
        ("3", own(c2), "财政预算公开", "公开到项级科目", Cell("年内", "年  内", False),
         "市财政局", own("市级各部门"), "第6行"),
        ("4", inf(c2), "“三公”经费公开", "+细化说明因公出国（境）情况", inf("年内"),
         "市财政局", empty, "第7行"),
        ("5", inf(c2), "专项资金公开", "-专项资金分配结果", inf("年内"),
         "市财政局", own("市审计局，市发展改革委"), "第8行"),
        ("6", own(c3), "政策解读", "@解读材料同步发布", own("2015年10月31日"),
         "市政府办公室", own("市级各部门"), "第9行"),
        ("7", inf(c3), "依申请公开", Cell("规范答复（含网上申请）", "规范答复\n（含网上申请）", False),
         Cell("实时", "实  时", False), "市政府办公室", empty, "第10行"),
    ]  # fmt: skip
    assert len(plan.rows) == len(expected)
    for row, (seq, cat, name, req, deadline, units, coop, where) in zip(
        plan.rows, expected, strict=True
    ):
        assert row.seq == seq
        assert row.category == cat
        assert row.name == own(name)
        assert row.requirement == (req if isinstance(req, Cell) else own(req))
        assert row.deadline == deadline
        assert row.units == own(units)
        assert row.cooperating == coop
        assert row.where == where


def test_xlsx_footer_note_ends_the_table(tmp_path):
    rows = list(SMALL_PLAN) + [
        (None,) * 5,
        ("注：以上为示例。",),
        ("一、多余", "多余任务", "", "", ""),
    ]
    plan = read_plan(make_xlsx(tmp_path / "f.xlsx", rows))
    assert [r.name.text for r in plan.rows] == ["预算公开", "决算公开"]
    assert any("表尾注释" in w for w in plan.warnings)


def test_xlsx_blank_category_is_same_category_blank_deadline_stays_blank(tmp_path):
    rows = list(SMALL_PLAN) + [(None, "新任务", "要求", None, None)]
    plan = read_plan(make_xlsx(tmp_path / "b.xlsx", rows))
    last = plan.rows[-1]
    assert last.category == Cell("一、主动公开", "", True)
    assert last.deadline == Cell("", "", False)
    assert last.units == Cell("", "", False)


def test_xlsx_header_on_second_sheet_and_numbers(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "本工作簿第二张表为分解表"
    ws = wb.create_sheet("分解")
    ws.append(["序号", "工作任务", "完成时间", "责任部门"])
    ws.append([1, "任务甲", 2015.5, "市财政局"])
    ws.append([2.0, "任务乙", True, "市民政局"])
    path = tmp_path / "n.xlsx"
    wb.save(path)
    plan = read_plan(path)
    assert plan.title == ""
    assert [(r.seq, r.deadline.text) for r in plan.rows] == [("1", "2015.5"), ("2", "TRUE")]


def test_xlsx_without_header_names_the_expected_columns(tmp_path):
    path = make_xlsx(tmp_path / "w.xlsx", [("姓名", "电话"), ("张三", "123")])
    with pytest.raises(BadFileError) as err:
        read_plan(path)
    assert "工作任务" in str(err.value) and "完成时限" in str(err.value)
    assert "责任单位" in str(err.value)


# --- formula-like text is data --------------------------------------------------------

FORMULA_LIKE = ("=SUM(A1:A3)", "+86 电话", "-1", "@所有人")


def test_formula_like_text_is_kept_in_text(tmp_path):
    lines = ["标题", *("\t" + h for h in HEADER_2014), ""]
    for i, t in enumerate(FORMULA_LIKE):
        lines += [
            "\t" + ("一、甲" if i == 0 else ""),
            f"\t任务{i}",
            "\t" + t,
            "\t" + t,
            "\t" + t,
            "",
        ]
    path = tmp_path / "f.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    plan = read_plan(path)
    for row, t in zip(plan.rows, FORMULA_LIKE, strict=True):
        assert (row.requirement.raw, row.deadline.raw, row.units.raw) == (t, t, t)


def test_formula_like_text_is_kept_in_docx(tmp_path):
    rows = [HEADER_2014] + [("一、甲", f"任务{i}", t, t, t) for i, t in enumerate(FORMULA_LIKE)]
    plan = read_plan(make_docx_table(tmp_path / "f.docx", "标题", rows))
    for row, t in zip(plan.rows, FORMULA_LIKE, strict=True):
        assert (row.requirement.raw, row.deadline.raw, row.units.raw) == (t, t, t)


def test_formula_like_text_is_kept_in_xlsx(tmp_path):
    rows = [HEADER_2014] + [("一、甲", f"任务{i}", t, t, t) for i, t in enumerate(FORMULA_LIKE)]
    path = make_xlsx(tmp_path / "f.xlsx", rows)
    with zipfile.ZipFile(path) as zf:  # really stored as strings, not formulas
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
    plan = read_plan(path)
    for row, t in zip(plan.rows, FORMULA_LIKE, strict=True):
        assert (row.requirement.raw, row.deadline.raw, row.units.raw) == (t, t, t)


# --- header matching -------------------------------------------------------------------


def test_match_header_synonyms_and_order():
    assert match_header(list(HEADER_2014)) == {
        "category": 0,
        "name": 1,
        "requirement": 2,
        "deadline": 3,
        "units": 4,
    }
    found = match_header(
        [None, "序 号", "重点任务", "工作类别", "时间要求", "牵头单位：", "协办单位"]
    )
    assert found == {
        "seq": 1,
        "name": 2,
        "category": 3,
        "deadline": 4,
        "units": 5,
        "cooperating": 6,
    }
    assert match_header(["工作任务", "备注"]) is None
    assert match_header(["姓名", "完成时限", "责任单位"]) is None
