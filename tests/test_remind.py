"""催办通知单: one per late or silent unit, exactly its overdue tasks, each chase logged and counted."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import docx
import pytest
from report_helpers import ON, SEED_REPORTS, pdf_fonts, pdf_text, seed_with_progress, squeeze

from gxdesk.cli import main
from gxdesk.exchange.notice_docx import render_notice
from gxdesk.exchange.notice_text import TASK_HEADER, task_rows
from gxdesk.ops.remind import gather_notices, write_notices
from gxdesk.ops.report import gather_report
from gxdesk.store import queries
from gxdesk.store.database import Database
from gxdesk.store.reminders import reminders_of_task


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = seed_with_progress(tmp_path)
    yield database
    database.close()


def expected_overdue(db: Database) -> dict[str, set[str]]:
    """unit → names of its tasks past due that it has not reported done (from the test data)."""
    units = {u.id: u for u in queries.units(db)}
    done_by = {(u, t) for t, u, status, *_ in SEED_REPORTS if status.value == "已完成"}
    rows = {r.id: r for r in queries.list_tasks(db, queries.current_plan(db).id, on=ON)}
    out: dict[str, set[str]] = {}
    for task_id, views in queries.assignments(db, list(rows)).items():
        r = rows[task_id]
        if not (r.due and r.due < ON) or r.status.value == "已完成":
            continue
        for a in views:
            if a.role.value == "cooperating":
                continue
            names = [units[m].name for m in units[a.unit_id].members] if a.is_group else [a.unit]
            for name in names:
                if (name, task_id) not in done_by:
                    out.setdefault(name, set()).add(r.name)
    return out


def test_one_notice_per_late_unit_naming_exactly_its_overdue_tasks(
    db: Database, tmp_path: Path
) -> None:
    expected = expected_overdue(db)
    assert "市财政局" in expected and "信息解读工作" not in expected["市财政局"]
    written = write_notices(db, tmp_path / "n", on=ON)
    by_unit = {w.unit: w for w in written}
    assert set(expected) <= set(by_unit)
    all_names = {r.name for r in queries.list_tasks(db, queries.current_plan(db).id, on=ON)}
    for unit, names in expected.items():
        text = squeeze(pdf_text(by_unit[unit].path))
        assert f"{squeeze(unit)}：" in text
        table = text[: text.index("联系人")]
        named = {n for n in all_names if squeeze(n) in table}
        assert named == names, unit
        assert f"以下{len(names)}项任务已超过完成时限" in text
        assert "首次" in text and "反馈回执" in text and "预计完成时间" in text
    # units only silent (nothing overdue of their own) get a notice too, saying so
    silent_only = set(by_unit) - set(expected)
    for unit in silent_only:
        assert "尚未报送10月工作进展" in squeeze(pdf_text(by_unit[unit].path))
    assert all(emb == "yes" for w in written[:2] for _n, emb in pdf_fonts(w.path))
    numbers = [w.number for w in written]
    assert numbers == [f"催办〔2014〕{i}号" for i in range(1, len(written) + 1)]


def test_the_chase_count_rises_on_the_next_run_and_shows_everywhere(
    db: Database, tmp_path: Path
) -> None:
    first = {w.unit: w for w in write_notices(db, tmp_path / "a", on=ON)}
    later = ON + dt.timedelta(days=3)
    second = {w.unit: w for w in write_notices(db, tmp_path / "b", on=later)}
    text = squeeze(pdf_text(second["市财政局"].path))
    assert "1次" in text and "首次" not in text
    assert second["市财政局"].number == f"催办〔2014〕{len(first) + list(second).index('市财政局') + 1}号"
    task_id = second["市财政局"].tasks[0]
    history = reminders_of_task(db, task_id)
    assert [h.issued_on for h in history if h.unit == "市财政局"] == [later, ON]
    data = gather_report(db, on=later)
    red = next(r for r in data.red if r.task_id == task_id)
    assert red.chased == sum(1 for h in history)
    caizheng = next(u for u in data.units if u.name == "市财政局")
    assert caizheng.chased == len(first["市财政局"].tasks) + len(second["市财政局"].tasks)


def test_docx_opens_and_holds_the_text(db: Database, tmp_path: Path) -> None:
    written = write_notices(db, tmp_path / "d", on=ON, fmt="docx")
    w = next(x for x in written if x.unit == "市财政局")
    d = docx.Document(str(w.path))
    body = "".join(p.text for p in d.paragraphs)
    cells = "".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "催办通知单" in body and "市财政局：" in body and w.number in body
    for name in expected_overdue(db)["市财政局"]:
        assert name in cells
    assert "下一步措施" in cells
    section = d.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    notice = next(n for n in gather_notices(db, on=ON) if n.unit == "市财政局")
    a, b = render_notice(notice, tmp_path / "a.docx"), render_notice(notice, tmp_path / "b.docx")
    assert a.read_bytes() == b.read_bytes()  # the same notice, the same bytes


def test_cli_remind(db: Database, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cli"
    assert main(["--db", str(db.path), "remind", str(out), "--on", "2014-10-24"]) == 0
    printed = capsys.readouterr().out
    assert "共生成催办通知单" in printed and len(list(out.glob("*.pdf"))) >= 2
    before = db.path.read_bytes()
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    assert main(["--db", str(db.path), "remind", str(blocker)]) == 2
    assert main(["--db", str(db.path), "remind", str(out), "--format", "odt"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2
    assert db.path.read_bytes() == before


def test_a_failed_write_logs_nothing_and_leaves_no_file(db: Database, tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def cancel() -> None:
        raise Stop

    before = db.path.read_bytes()
    with pytest.raises(Stop):
        write_notices(db, tmp_path / "c", on=ON, check=cancel)
    assert list((tmp_path / "c").iterdir()) == []
    assert db.path.read_bytes() == before


def test_docx_laid_out_by_a_word_processor_keeps_each_task_on_its_row(
    db: Database, tmp_path: Path
) -> None:
    """The .docx as LibreOffice Writer prints it (WPS and Word read the same widths).

    python-docx alone gives six equal columns: 工作任务 wraps every seven characters,
    and narrowing the others without narrowing the cells' margins breaks 编号 and
    到期日 in the middle (8.3 / 1, 6月30 / 日). Each task's number, the start of its
    name, its deadline, due date and overdue count must stand on one printed line.
    """
    from libreoffice import run_soffice

    notice = next(n for n in gather_notices(db, on=ON) if n.unit == "市财政局")
    written = render_notice(notice, tmp_path / "notice.docx")
    run_soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path), str(written))
    printed = tmp_path / "notice.pdf"
    layout = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(printed), "-"],
                            check=True, capture_output=True, text=True).stdout  # fmt: skip
    lines = [squeeze(line) for line in layout.splitlines()]
    assert any(all(h in line for h in TASK_HEADER) for line in lines), lines
    rows = task_rows(notice)
    assert len(rows) == len(notice.tasks) >= 3
    for seq, name, words, due, overdue, _chased in rows:
        # the name's first ten characters share the row's first line (six equal columns hold seven)
        cells = [squeeze(c) for c in (seq, name[:10], words, due, overdue)]
        assert any(all(c in line for c in cells) for line in lines), (cells, lines)
    names = squeeze(pdf_text(printed))
    for _seq, name, *_ in rows:
        assert squeeze(name) in names
    assert all(emb == "yes" for _font, emb in pdf_fonts(printed))
