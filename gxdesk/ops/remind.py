"""催办: a 催办通知单 for each unit that is late or did not report, and the log of each.

:func:`gather_notices` decides who is chased for what (plain values);
:func:`write_notices` writes one file per unit (PDF or an editable .docx) and
logs every notice in one transaction after all files are written, so a
failure leaves neither a half-recorded chase nor a recorded chase without its
file. The next run counts what was logged: "此前已催办 N 次".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gxdesk.core.documents import Notice, NoticeTask
from gxdesk.core.model import Light, Role, Status
from gxdesk.core.schedule import workdays_overdue
from gxdesk.store import queries
from gxdesk.store.database import Database
from gxdesk.store.office import office_info
from gxdesk.store.reminders import chase_counts, record_reminder, reminder_count
from gxdesk.store.report_queries import units_reported

Progress = Callable[[int, int, str], None]


class RemindError(ValueError):
    """Notices that cannot be made; the message is for the clerk."""


@dataclass(frozen=True)
class WrittenNotice:
    unit: str
    number: str
    path: Path
    tasks: tuple[int, ...]


def gather_notices(db: Database, *, on: dt.date | None = None) -> list[Notice]:
    """One notice per unit with overdue tasks of its own, or that did not report this month."""
    on = on or dt.date.today()
    plan = queries.current_plan(db)
    if plan is None:
        raise RemindError("数据库中还没有工作要点，请先导入")
    calendar = queries.load_calendar(db)
    rows = queries.list_tasks(db, plan.id, on=on, calendar=calendar)
    by_id = {r.id: r for r in rows}
    latest = queries.latest_progress(db, list(by_id))
    assigned = queries.assignments(db, list(by_id))
    units = queries.units(db)
    members = {u.id: u.members for u in units}
    own_done = {
        (v.unit_id, t) for t, views in latest.items() for v in views if v.status is Status.DONE
    }
    month = f"{on.year:04d}-{on.month:02d}"
    reported = units_reported(db, plan.id, month)
    chased = chase_counts(db)
    office = office_info(db)
    try:
        reply_by: dt.date | None = calendar.add_workdays(on, office.reply_workdays)
    except ValueError:
        reply_by = None
    responsible: dict[int, set[int]] = {}
    open_tasks: dict[int, bool] = {}
    for task_id, views in assigned.items():
        for a in views:
            if a.role is Role.COOPERATING:
                continue
            for uid in members.get(a.unit_id, ()) if a.is_group else (a.unit_id,):
                responsible.setdefault(uid, set()).add(task_id)
                if by_id[task_id].status is not Status.DONE:
                    open_tasks[uid] = True
    numbered = reminder_count(db, on.year)
    notices = []
    for u in units:
        if u.is_group or u.id not in responsible:
            continue
        late = [
            by_id[t] for t in responsible[u.id]
            if by_id[t].light is Light.RED and by_id[t].due and (u.id, t) not in own_done
        ]  # fmt: skip
        silent = open_tasks.get(u.id, False) and u.id not in reported
        if not late and not silent:
            continue
        late.sort(key=lambda r: (r.due, r.category_seq, r.seq))
        numbered += 1
        notices.append(
            Notice(
                u.id, u.name, f"催办〔{on.year}〕{numbered}号", on, reply_by,
                tuple(
                    NoticeTask(
                        r.id, f"{r.category_seq}.{r.seq}", r.name, r.deadline_text, due,
                        workdays_overdue(due, on, calendar), chased[(u.id, r.id)],
                    )
                    for r in late
                    if (due := r.due) is not None  # every late task has one (see above)
                ),
                bool(silent), month, plan.title, office,
            )
        )  # fmt: skip
    return notices


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def notice_file_name(notice: Notice, fmt: str) -> str:
    """催办通知单_市财政局_20141024.pdf (characters Windows forbids in names replaced)."""
    unit = _UNSAFE.sub("_", notice.unit).strip(" .") or f"单位{notice.unit_id}"
    return f"催办通知单_{unit}_{notice.on:%Y%m%d}.{fmt}"


def write_notices(
    db: Database,
    folder: Path,
    *,
    on: dt.date | None = None,
    fmt: str = "pdf",
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> list[WrittenNotice]:
    """Write every notice into ``folder`` and log them; returns what was written.

    ``check`` is called before the log is written (a cancel raises there and
    removes the files written so far).
    """
    if fmt not in ("pdf", "docx"):
        raise RemindError(f"不支持的格式：{fmt}（可选 pdf、docx）")
    from gxdesk.exchange.notice_docx import render_notice as render_docx
    from gxdesk.exchange.notice_pdf import render_notice as render_pdf
    from gxdesk.ops.report import document_fonts

    fonts = document_fonts() if fmt == "pdf" else None
    notices = gather_notices(db, on=on)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[WrittenNotice] = []
    try:
        for i, notice in enumerate(notices):
            if progress:
                progress(i, len(notices), notice.unit)
            path = folder / notice_file_name(notice, fmt)
            if fonts is not None:
                render_pdf(notice, path, fonts=fonts)
            else:
                render_docx(notice, path)
            written.append(
                WrittenNotice(notice.unit, notice.number, path, tuple(t.task_id for t in notice.tasks))
            )
        if check:
            check()
        now = dt.datetime.now()
        with db.transaction() as session:
            for notice, w in zip(notices, written, strict=True):
                record_reminder(
                    session, unit_id=notice.unit_id, number=notice.number, issued_on=notice.on,
                    file_name=w.path.name, task_ids=w.tasks, now=now,
                )  # fmt: skip
    except BaseException:
        for w in written:
            w.path.unlink(missing_ok=True)
        raise
    return written
